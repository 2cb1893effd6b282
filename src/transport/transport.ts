/** One HTTP POST, as the dispatcher hands it to a {@link Transport}. */
export interface TransportRequest {
  /** Absolute `https:` (or, with opt-ins, `http:`) URL. */
  url: string;
  /** Every request header, lower-case names. The transport adds nothing but framing headers. */
  headers: Record<string, string>;
  /** The exact JSON bytes to send. */
  body: string;
  /** The whole attempt (connect, headers, body) must finish within this many milliseconds. */
  timeoutMs: number;
  /** Aborts the attempt (the dispatcher is stopping). */
  signal?: AbortSignal;
}

/** The answer to a {@link TransportRequest}. Any status is an answer; redirects are not followed. */
export interface TransportResponse {
  status: number;
  /** Response headers, lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** At most the first {@link RESPONSE_BODY_LIMIT} bytes of the body, decoded as UTF-8. */
  body: string;
}

/**
 * The transport port: sends one POST and returns the answer, or throws a `TransportError`
 * (`network`, `timeout`, `refused_address`, `aborted`) when no answer arrived.
 *
 * @example
 * ```ts
 * const transport: Transport = {
 *   async send(req) {
 *     const res = await fetch(req.url, { method: "POST", headers: req.headers, body: req.body, redirect: "manual" });
 *     return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.text()).slice(0, 4096) };
 *   },
 * };
 * ```
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Releases pooled connections. Idempotent. */
  close?(): Promise<void>;
}

/**
 * Response bodies are read up to this many bytes, the rest is discarded: 4 KiB.
 *
 * @example
 * ```ts
 * const text = await readLimitedBody(res.body, RESPONSE_BODY_LIMIT);
 * ```
 */
export const RESPONSE_BODY_LIMIT = 4096;
