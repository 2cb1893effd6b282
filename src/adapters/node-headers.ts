import type { IncomingHttpHeaders } from "node:http";
import type { HeaderReader } from "../receiver/header-reader.js";

/**
 * A {@link HeaderReader} over Node's `req.headers`, without building a Web `Headers` per request.
 * Node already lower-cases the names; a header Node keeps as an array is joined with ", ", as
 * `Headers.get` would. Ask for lower-case names only.
 *
 * @example
 * ```ts
 * nodeHeaders(req.headers).get("authorization");
 * ```
 */
export function nodeHeaders(headers: IncomingHttpHeaders): HeaderReader {
  return {
    get(name) {
      const value = headers[name];
      if (value === undefined) return null;
      return typeof value === "string" ? value : value.join(", ");
    },
  };
}
