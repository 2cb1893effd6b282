import type { FeedbackEventOf } from "./feedback-event.js";
import type { FeedbackStatus } from "./feedback-status.js";
import type { AnyFeedbackEvent } from "./unknown-status-event.js";

/**
 * True when the event's status is one of `statuses`, narrowing the event to those statuses'
 * types. Needed because TypeScript does not narrow a union by a nested property such as
 * `event.messageDeliveryFeedback.feedbackStatus.value`.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "bounce", "error")) {
 *   event.messageDeliveryFeedback.messageFailure.code // MessageFailure, no null check
 * }
 * ```
 */
export function hasFeedbackStatus<E extends AnyFeedbackEvent, S extends FeedbackStatus>(
  event: E,
  ...statuses: [S, ...S[]]
): event is Extract<E, FeedbackEventOf<S>> {
  return (statuses as readonly string[]).includes(event.messageDeliveryFeedback.feedbackStatus.value);
}
