import type { RequestHandler } from "express";
import { InvalidStateError } from "../errors.js";
import { errorToRawResponse } from "../receiver/error-to-response.js";
import type { Receiver } from "../receiver/index.js";
import { nodeReceiverOf } from "./node-receiver-of.js";
import { writeRawResponse } from "./write-raw-response.js";

const CONSUMED =
  "The request body was already read by another middleware (express.json() or similar), so the raw bytes needed " +
  "to verify the delivery are gone. Mount the feedback webhook middleware before express.json(), or on its own " +
  'route: app.post("/webhooks", toExpressMiddleware(receiver)).';

/**
 * Express 5 middleware that receives deliveries and answers them. It reads the raw body itself
 * (no `express.raw()` needed; a Buffer left by `express.raw()` is used as is) and answers 500
 * with a clear message when a JSON body parser already consumed the body.
 *
 * @example
 * ```ts
 * const app = express();
 * app.post("/webhooks/feedback", toExpressMiddleware(receiver));
 * app.use(express.json()); // other routes may parse JSON; mount it after, or on other paths
 * ```
 */
export function toExpressMiddleware(receiver: Receiver): RequestHandler {
  const receive = nodeReceiverOf(receiver);
  return (req, res, next) => {
    const body: unknown = req.body;
    let answer: ReturnType<typeof receive>;
    if (Buffer.isBuffer(body)) answer = receive(req, body);
    else if (body === undefined && !req.readableEnded) answer = receive(req);
    else {
      // Not a request problem but a mounting mistake: the same 500 on every delivery makes it seen.
      answer = Promise.resolve(errorToRawResponse(new InvalidStateError(CONSUMED)));
    }
    answer.then((raw) => writeRawResponse(res, raw)).catch(next);
  };
}
