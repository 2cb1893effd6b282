import type { AnyFeedbackEvent } from "./unknown-status-event.js";

/**
 * The status of an event: a {@link FeedbackStatus} for a known event, any string for an
 * {@link UnknownStatusEvent}. Handy as a `switch` subject or a log field.
 *
 * @example
 * ```ts
 * log.info({ status: feedbackStatusOf(event), requestId: event.requestId }, "feedback")
 * ```
 */
export function feedbackStatusOf<E extends AnyFeedbackEvent>(
  event: E,
): E["messageDeliveryFeedback"]["feedbackStatus"]["value"] {
  return event.messageDeliveryFeedback.feedbackStatus.value;
}
