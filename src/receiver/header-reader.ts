/**
 * What the receiver needs from request headers: one value by lower-case name, repeated headers
 * joined with ", ". Web `Headers` is one; the Node adapters pass a view over `req.headers` so no
 * `Headers` object is built per request.
 *
 * @example
 * ```ts
 * const headers: HeaderReader = request.headers;
 * headers.get("authorization");
 * ```
 */
export interface HeaderReader {
  get(name: string): string | null;
}
