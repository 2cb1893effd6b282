import type { Context } from "hono";
import type { Receiver } from "../receiver/index.js";

/**
 * A Hono 4 handler that receives deliveries: `receiver.handle(c.req.raw)`. Register it before
 * anything that reads the body (the receiver answers 500 saying so otherwise).
 *
 * @example
 * ```ts
 * const app = new Hono();
 * app.post("/webhooks/feedback", toHonoHandler(receiver));
 * ```
 */
export function toHonoHandler(receiver: Receiver): (c: Context) => Promise<Response> {
  return (c) => receiver.handle(c.req.raw);
}
