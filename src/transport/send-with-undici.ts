import { type Dispatcher, errors } from "undici";
import type { TransportError } from "../errors.js";
import { toHeaderRecord } from "./response-headers.js";
import { toTransportError } from "./to-transport-error.js";
import { RESPONSE_BODY_LIMIT, type TransportRequest, type TransportResponse } from "./transport.js";
import { type AbortWatcher, unwatchAbort, watchAbort } from "./watch-abort.js";

// Stateless between calls (no `stream: true`), so one decoder serves every response.
const decoder = new TextDecoder();

function expire(exchange: Exchange): void {
  exchange.expire();
}

/**
 * One POST as an undici dispatch handler. It keeps the status, the headers and the first 4 KiB
 * of the body straight from the socket (no body stream), and bounds the whole exchange with ONE
 * timer and a watch on the caller's signal ({@link watchAbort}): `AbortSignal.timeout` + `any`
 * per request cost ~5% of a delivery's CPU. Undici's `headersTimeout`/`bodyTimeout` cannot
 * replace the timer: they time idle gaps, so a server dripping a byte at a time never times out.
 */
class Exchange implements Dispatcher.DispatchHandler, AbortWatcher {
  readonly #url: URL;
  readonly #request: TransportRequest;
  readonly #resolve: (response: TransportResponse) => void;
  readonly #reject: (error: TransportError) => void;
  readonly #timer: NodeJS.Timeout;
  #controller: Dispatcher.DispatchController | undefined;
  /** Why the exchange ended before undici finished it; aborts the request if it starts later. */
  #stopReason: Error | undefined;
  #settled = false;
  #status = 0;
  #headers: Record<string, string> = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(
    url: URL,
    request: TransportRequest,
    resolve: (response: TransportResponse) => void,
    reject: (error: TransportError) => void,
  ) {
    this.#url = url;
    this.#request = request;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timer = setTimeout(expire, request.timeoutMs, this);
    if (request.signal) watchAbort(request.signal, this);
  }

  /** The deadline passed: the whole exchange (queue, connect, headers, body) took too long. */
  expire(): void {
    const reason = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    this.#stop(reason, this.#mapError(reason, true));
  }

  /** The caller's signal fired. */
  onAbort(): void {
    const reason: unknown = this.#request.signal?.reason;
    const error = reason instanceof Error ? reason : new DOMException("This operation was aborted", "AbortError");
    this.#stop(error, this.#mapError(reason, false));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    if (this.#stopReason) controller.abort(this.#stopReason);
    else this.#controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // 1xx answers (100 Continue, 103 Early Hints) come before the real one.
    if (statusCode < 200) return;
    this.#status = statusCode;
    this.#headers = toHeaderRecord(headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#settled) return;
    const room = RESPONSE_BODY_LIMIT - this.#size;
    if (chunk.length < room) {
      this.#chunks.push(chunk);
      this.#size += chunk.length;
      return;
    }
    this.#chunks.push(chunk.subarray(0, room));
    this.#size += room;
    // Enough kept: stop the download (the socket is closed, not left half-read in the pool).
    this.#stop(new errors.RequestAbortedError("Response body limit reached"), undefined);
  }

  onResponseEnd(): void {
    if (this.#settled) return;
    this.#settle();
    this.#resolve(this.#response());
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (this.#settled) return;
    this.#settle();
    // The status is the endpoint's answer: a body cut off after it loses only the body.
    if (this.#status !== 0) this.#resolve(this.#response());
    else this.#reject(this.#mapError(error, false));
  }

  #mapError(error: unknown, timedOut: boolean): TransportError {
    return toTransportError(error, {
      url: this.#url,
      timeoutMs: this.#request.timeoutMs,
      timedOut,
      aborted: !timedOut && this.#request.signal?.aborted === true,
    });
  }

  /**
   * Settles with `error` — or with the response kept so far once a status has arrived (the
   * answer is known; only the rest of the body is given up) — then aborts the request if it runs.
   */
  #stop(reason: Error, error: TransportError | undefined): void {
    if (this.#settled) return;
    this.#settle();
    if (error && this.#status === 0) this.#reject(error);
    else this.#resolve(this.#response());
    // After settling: aborting calls back `onResponseError`, which must find us done.
    this.#stopReason = reason;
    this.#controller?.abort(reason);
  }

  #settle(): void {
    this.#settled = true;
    clearTimeout(this.#timer);
    if (this.#request.signal) unwatchAbort(this.#request.signal, this);
  }

  #response(): TransportResponse {
    const chunks = this.#chunks;
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#size);
    return { status: this.#status, headers: this.#headers, body: decoder.decode(bytes) };
  }
}

/**
 * Sends `request` (a POST to the already parsed `url`) through an undici dispatcher. Redirects
 * are not followed; at most {@link RESPONSE_BODY_LIMIT} bytes of the body are kept and the rest
 * is not downloaded; once the final status has arrived it is the answer, even if the body is
 * then cut off (reset, deadline, the caller's signal); the whole exchange, from the pool's queue to the body's last byte, is
 * bounded by `request.timeoutMs`, and the caller's signal ends it at once. Failures are thrown
 * as `TransportError`s (`network`, `timeout`, `aborted`, `refused_address`).
 *
 * @example
 * ```ts
 * const res = await sendWithUndici(new Agent(), new URL(req.url), req);
 * ```
 */
export function sendWithUndici(
  dispatcher: Dispatcher,
  url: URL,
  request: TransportRequest,
): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    if (request.signal?.aborted) {
      const context = { url, timeoutMs: request.timeoutMs, timedOut: false, aborted: true };
      reject(toTransportError(request.signal.reason, context));
      return;
    }
    const exchange = new Exchange(url, request, resolve, reject);
    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.search ? `${url.pathname}${url.search}` : url.pathname,
          method: "POST",
          headers: request.headers,
          body: request.body,
        },
        exchange,
      );
    } catch (error) {
      exchange.onResponseError(undefined, error as Error);
    }
  });
}
