import { UnsupportedMediaTypeError } from "../errors.js";

/**
 * Request headers as Web `Headers` or as Node gives them (`IncomingHttpHeaders`).
 *
 * @example
 * ```ts
 * const headers: HeadersInput = { "content-type": "application/json", authorization: "Bearer …" };
 * ```
 */
export type HeadersInput = Headers | Record<string, string | readonly string[] | undefined>;

/**
 * Turns Node-style headers into Web `Headers` (repeated headers are joined, HTTP/2 pseudo-headers
 * such as `:method` are dropped).
 *
 * @example
 * ```ts
 * toHeaders(req.headers).get("authorization");
 * ```
 */
export function toHeaders(input: HeadersInput): Headers {
  if (input instanceof Headers) return input;
  const headers = new Headers();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined || name.startsWith(":")) continue;
    for (const v of typeof value === "string" ? [value] : value) headers.append(name, v);
  }
  return headers;
}

/**
 * Throws unless `contentType` is `application/json` (any parameters, any case).
 *
 * @throws {@link UnsupportedMediaTypeError}
 * @example
 * ```ts
 * assertJsonContentType(request.headers.get("content-type"));
 * ```
 */
export function assertJsonContentType(contentType: string | null): void {
  const essence = contentType?.split(";", 1)[0]?.trim().toLowerCase();
  if (essence !== "application/json") throw new UnsupportedMediaTypeError(contentType);
}
