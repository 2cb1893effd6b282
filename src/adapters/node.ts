import type { IncomingMessage, ServerResponse } from "node:http";
import type { Receiver } from "../receiver/index.js";
import { nodeReceiverOf } from "./node-receiver-of.js";
import { writeRawResponse } from "./write-raw-response.js";

/**
 * Turns a receiver into a Node `http` request listener. Every request it gets is treated as a
 * delivery; route before calling it if the server does more.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { toNodeHandler } from "feedback-webhooks/adapters/node";
 *
 * createServer(toNodeHandler(receiver)).listen(3000);
 * ```
 */
export function toNodeHandler(receiver: Receiver): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const receive = nodeReceiverOf(receiver);
  return async (req, res) => {
    try {
      writeRawResponse(res, await receive(req));
    } catch (error) {
      // receive() never rejects; only writing the answer can fail (headers already sent by other
      // code). A rejection here would be unhandled and stop the server, so end the exchange.
      res.destroy(error as Error);
    }
  };
}
