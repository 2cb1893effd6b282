import ky from "ky";
import { ConfigValidationError } from "../errors.js";
import { readLimitedBody } from "./read-limited-body.js";
import { toHeaderRecord } from "./response-headers.js";
import { assertResolvesPublic, type ResolveHost, resolveWithDns } from "./ssrf-guard.js";
import { toTransportError } from "./to-transport-error.js";
import type { Transport, TransportRequest, TransportResponse } from "./transport.js";

/** Options of {@link kyTransport}. */
export interface KyTransportOptions {
  /** Allow private, loopback, link-local and metadata addresses (tests, demos, intranets). @default false */
  allowPrivateNetworks?: boolean;
  /** The `fetch` to use (a runtime's own, an instrumented one). @default globalThis.fetch */
  fetch?: typeof fetch;
  /**
   * Resolves host names for the SSRF check before each request. Give one on runtimes without
   * `node:dns` (e.g. DNS over HTTPS). @default the operating system's resolver (`node:dns`)
   */
  resolveHost?: ResolveHost;
}

/**
 * A transport over ky (and so `fetch`), for runtimes that only have `fetch` (Bun, Deno, edge
 * functions). Redirects are not followed; the response body is read up to 4 KiB. Once the status
 * has arrived it is the answer, even if the body is then cut off.
 *
 * SSRF: the host is resolved and checked before sending, but `fetch` resolves it again to
 * connect, so a DNS server that changes its answer in between (rebinding) can still reach a
 * private address. On Node, prefer {@link undiciTransport}, which checks the connected address.
 *
 * @example
 * ```ts
 * const dispatcher = createDispatcher({ storage, transport: kyTransport() });
 * ```
 */
export function kyTransport(options: KyTransportOptions = {}): Transport {
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new ConfigValidationError([{ path: "fetch", message: "must be a fetch function" }], {
      what: "Invalid kyTransport options",
    });
  }
  const allowPrivate = options.allowPrivateNetworks === true;
  const resolve = options.resolveHost ?? resolveWithDns;
  const client = ky.create({
    retry: 0,
    // ky's own timeout ends at the response headers; ours also covers reading the body.
    timeout: false,
    throwHttpErrors: false,
    redirect: "manual",
    ...(options.fetch && { fetch: options.fetch }),
  });
  return {
    async send(req: TransportRequest): Promise<TransportResponse> {
      const url = new URL(req.url);
      if (!allowPrivate) await assertResolvesPublic(url, resolve);
      const timeout = AbortSignal.timeout(req.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      try {
        const res = await client.post(url, { headers: req.headers, body: req.body, signal });
        // A browser-style fetch hides a manual redirect as an opaque status 0; report it as 3xx.
        const status = res.type === "opaqueredirect" ? 302 : res.status;
        // The status is the endpoint's answer: a body cut off after it (reset, deadline, stop)
        // loses only the informational text, never the answer (a 2xx is not sent again).
        const body = await readLimitedBody(res.body).catch(() => "");
        return { status, headers: toHeaderRecord(res.headers), body };
      } catch (error) {
        throw toTransportError(error, {
          url,
          timeoutMs: req.timeoutMs,
          timedOut: timeout.aborted,
          aborted: req.signal?.aborted === true,
        });
      }
    },
  };
}
