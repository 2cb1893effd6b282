import { createHash } from "node:crypto";
import type { FeedbackEvent } from "../schemas/feedback-event.js";

/**
 * The default idempotency key of an event: SHA-256 over org, sandbox, `requestId`,
 * `messageExecutionID`, status, `retryCount` and every identity. Publishing the same event again
 * (a retry of the caller's own job) yields the same key, so it is enqueued once.
 *
 * @example
 * ```ts
 * defaultIdempotencyKey(event); // "4Jx0…" (43 characters, base64url)
 * ```
 */
export function defaultIdempotencyKey(event: FeedbackEvent): string {
  const identities = Object.entries(event.identityMap)
    .flatMap(([namespace, list]) => list.map((identity) => `${namespace}:${identity.id}`))
    .sort();
  const feedback = event.messageDeliveryFeedback;
  const parts = [
    event.imsOrg,
    event.sandbox.name,
    event.requestId,
    event.messageExecution.messageExecutionID,
    feedback.feedbackStatus.value,
    feedback.retryCount,
    identities,
  ];
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url");
}
