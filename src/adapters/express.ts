import type { RequestHandler } from "express";
import { InvalidStateError } from "../errors.js";
import { errorToResponse, type Receiver } from "../receiver/index.js";
import { sendWebResponse, toWebRequest } from "./node-bridge.js";

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
  return (req, res, next) => {
    const body: unknown = req.body;
    let request: Request;
    if (Buffer.isBuffer(body)) request = toWebRequest(req, new Uint8Array(body));
    else if (body === undefined && !req.readableEnded) request = toWebRequest(req);
    else {
      // Not a request problem but a mounting mistake: the same 500 on every delivery makes it seen.
      sendWebResponse(res, errorToResponse(new InvalidStateError(CONSUMED))).catch(next);
      return;
    }
    receiver
      .handle(request)
      .then((response) => sendWebResponse(res, response))
      .catch(next);
  };
}
