import type { IncomingMessage } from "node:http";
import { rawHandlerOf } from "../receiver/raw-receiver.js";
import type { RawResponse } from "../receiver/raw-response.js";
import type { Receiver } from "../receiver/receiver.js";
import { nodeHeaders } from "./node-headers.js";
import { toWebRequest } from "./node-bridge.js";
import { readNodeBody } from "./read-node-body.js";

/**
 * Receives one delivery from a Node request; `body` is the raw body when a framework already
 * read it. Never rejects.
 */
export type NodeReceive = (req: IncomingMessage, body?: Uint8Array) => Promise<RawResponse>;

/**
 * The Node half of the Node, Express and Fastify adapters: the receiver core reads the headers
 * and the body straight from the `IncomingMessage`, with no Web `Request`/`Response` in between
 * (on Node 20 those cost several times the verification). A receiver not made by
 * `createReceiver` (a wrapper, another copy of the package) goes through its public `handle`.
 *
 * @example
 * ```ts
 * const receive = nodeReceiverOf(receiver);
 * writeRawResponse(res, await receive(req));
 * ```
 */
export function nodeReceiverOf(receiver: Receiver): NodeReceive {
  const raw = rawHandlerOf(receiver);
  if (raw === undefined) {
    return async (req, body) => {
      const response = await receiver.handle(toWebRequest(req, body as Uint8Array<ArrayBuffer> | undefined));
      const text = response.body === null ? null : await response.text();
      return { status: response.status, headers: Object.fromEntries(response.headers), body: text };
    };
  }
  return (req, body) =>
    raw({
      method: req.method ?? "GET",
      headers: nodeHeaders(req.headers),
      readBody: (maxBytes) => readNodeBody(req, maxBytes, body),
    });
}
