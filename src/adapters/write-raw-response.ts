import type { ServerResponse } from "node:http";
import type { RawResponse } from "../receiver/raw-response.js";

/**
 * Writes the receiver's answer to a Node response in one `writeHead` + `end`.
 *
 * @example
 * ```ts
 * writeRawResponse(res, await receive(req));
 * ```
 */
export function writeRawResponse(res: ServerResponse, answer: RawResponse): void {
  res.writeHead(answer.status, answer.headers);
  if (answer.body === null) res.end();
  else res.end(answer.body);
}
