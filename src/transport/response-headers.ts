/**
 * Normalizes response headers to lower-case names with string values (repeated headers joined
 * with `, `), whatever the client library returned.
 *
 * @example
 * ```ts
 * toHeaderRecord({ "Retry-After": "5", "set-cookie": ["a=1", "b=2"] }); // { "retry-after": "5", "set-cookie": "a=1, b=2" }
 * ```
 */
export function toHeaderRecord(
  headers: Iterable<[string, string]> | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Symbol.iterator in headers ? [...headers] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(", ") : value;
    out[key] = out[key] === undefined ? text : `${out[key]}, ${text}`;
  }
  return out;
}
