import type { FeedbackTokenClaims } from "../auth/feedback-token-claims.js";
import type { FeedbackEventOf } from "../schemas/feedback-event.js";
import type { FeedbackStatus } from "../schemas/feedback-status.js";
import type { AnyFeedbackEvent } from "../schemas/unknown-status-event.js";
import type { HeadersInput } from "./to-headers.js";

/**
 * What a handler learns about the delivery beside the event.
 *
 * @example
 * ```ts
 * receiver.on("*", async (event, { deliveryId }) => db.insertOnce(deliveryId, event));
 * ```
 */
export interface HandlerContext {
  /** The `webhook-id` header: the delivery id, the same on every retry. Your idempotency key. */
  deliveryId: string | undefined;
  /** The `webhook-attempt` header (1, 2, …), when the sender sent it. */
  attempt: number | undefined;
  /** The verified JWT claims (`auth.type: "jwt"` only). */
  claims: FeedbackTokenClaims | undefined;
}

/**
 * A handler registered with {@link Receiver.on}. Throwing (or rejecting) answers 500, so the
 * sender retries the delivery.
 *
 * @example
 * ```ts
 * const onBounce: FeedbackHandler<BounceEvent> = (event) => crm.markBounced(event.requestId);
 * receiver.on("bounce", onBounce);
 * ```
 */
export type FeedbackHandler<E extends AnyFeedbackEvent = AnyFeedbackEvent> = (
  event: E,
  context: HandlerContext,
) => void | Promise<void>;

/**
 * What {@link Receiver.verify} takes: the headers and the raw body, exactly as received.
 *
 * @example
 * ```ts
 * const input: VerifyInput = { headers: req.headers, body: rawBodyBuffer };
 * ```
 */
export interface VerifyInput {
  headers: HeadersInput;
  /** The raw body bytes (or the exact string). Never a re-serialized object. */
  body: string | Uint8Array;
}

/**
 * The receiving side: verifies, parses, types and dispatches feedback events, and answers the
 * right HTTP status. Made by `createReceiver`.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ auth: { type: "jwt", ...verifyOptions } })
 *   .on("bounce", (event) => suppress(event.identityMap))
 *   .on("*", (event) => metrics.count(event.channel));
 * export const POST = (request: Request) => receiver.handle(request);
 * ```
 */
export interface Receiver {
  /** The body limit in bytes, for adapters whose framework reads the body itself. */
  readonly maxBodyBytes: number;
  /**
   * Resolves once the verification keys are imported; rejects with a `ConfigValidationError` for
   * an unusable key (options themselves are checked by `createReceiver`). Await it at startup to
   * fail fast instead of answering 500 to the first delivery.
   *
   * @example
   * ```ts
   * await receiver.ready();
   * server.listen(3000);
   * ```
   */
  ready(): Promise<void>;
  /**
   * Verifies the credentials over the raw body, then parses and validates the event. With a
   * `dedupe` store, a token id (`jti`) already seen is refused with a `ReplayError`.
   *
   * @throws `UnsupportedMediaTypeError`, `PayloadTooLargeError`, `VerificationError`, `ReplayError`,
   *   `PayloadParseError`, `PayloadValidationError`.
   * @example
   * ```ts
   * const event = await receiver.verify({ headers: req.headers, body: rawBody });
   * ```
   */
  verify(input: VerifyInput): Promise<AnyFeedbackEvent>;
  /**
   * Registers a handler for one status, several statuses, or every event (`"*"`, which also
   * receives unknown-status events). Handlers run one after the other in registration order.
   *
   * @example
   * ```ts
   * receiver.on("bounce", (event) => event.messageDeliveryFeedback.messageFailure.code);
   * ```
   */
  on<S extends FeedbackStatus>(status: S | readonly S[], handler: FeedbackHandler<FeedbackEventOf<S>>): Receiver;
  on(status: "*", handler: FeedbackHandler): Receiver;
  /**
   * Receives one delivery: checks method, content type and size, verifies, parses, runs the
   * handlers and answers (200, 202, 400, 401, 405, 413, 415, 422 or 500). Never throws.
   *
   * @example
   * ```ts
   * Bun.serve({ fetch: (request) => receiver.handle(request) });
   * ```
   */
  handle(request: Request): Promise<Response>;
}
