/**
 * The receiver's answer before it becomes a Web `Response`: the Node adapters write it with
 * `res.writeHead`/`res.end`, which costs far less than building and reading a `Response`.
 *
 * @example
 * ```ts
 * const answer: RawResponse = { status: 200, headers: {}, body: null };
 * ```
 */
export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The body text (a problem+json document), or `null` for none. */
  body: string | null;
}

/**
 * Turns a raw answer into a Web `Response`.
 *
 * @example
 * ```ts
 * toWebResponse({ status: 202, headers: {}, body: null }).status; // 202
 * ```
 */
export function toWebResponse(raw: RawResponse): Response {
  return new Response(raw.body, { status: raw.status, headers: raw.headers });
}
