import type { FeedbackEvent } from "./feedback-event.js";
import { isFeedbackStatus } from "./feedback-status.js";
import type { AnyFeedbackEvent } from "./unknown-status-event.js";

/**
 * True when the event has one of the six known statuses (it is not an {@link UnknownStatusEvent}).
 *
 * @example
 * ```ts
 * const event = parseFeedbackEvent(body)
 * if (!isKnownFeedbackEvent(event)) return archiveForLater(event)
 * ```
 */
export function isKnownFeedbackEvent<E extends AnyFeedbackEvent>(event: E): event is Extract<E, FeedbackEvent> {
  return isFeedbackStatus(event.messageDeliveryFeedback.feedbackStatus.value);
}
