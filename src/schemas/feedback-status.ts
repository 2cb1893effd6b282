import { z } from "zod";

/**
 * The six known values of `messageDeliveryFeedback.feedbackStatus.value`: the four documented
 * events plus `delay` and `exclude` from the platform's data model.
 *
 * @example
 * ```ts
 * for (const status of FEEDBACK_STATUSES) console.log(status) // "sent", "delivered", …
 * ```
 */
export const FEEDBACK_STATUSES = ["sent", "delivered", "bounce", "error", "delay", "exclude"] as const;

/**
 * A known feedback status: `sent`, `delivered`, `bounce`, `error`, `delay` or `exclude`.
 *
 * @example
 * ```ts
 * const status: FeedbackStatus = "bounce"
 * ```
 */
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/**
 * True when `value` is one of the six {@link FEEDBACK_STATUSES}.
 *
 * @example
 * ```ts
 * isFeedbackStatus("bounce") // true
 * isFeedbackStatus("opened") // false: an unknown (newer) status
 * ```
 */
export function isFeedbackStatus(value: unknown): value is FeedbackStatus {
  return typeof value === "string" && (FEEDBACK_STATUSES as readonly string[]).includes(value);
}

/**
 * The known statuses as a quoted list, for error messages.
 *
 * @example
 * ```ts
 * `must be one of ${KNOWN_STATUS_LIST}` // 'must be one of "sent", "delivered", …'
 * ```
 */
export const KNOWN_STATUS_LIST = FEEDBACK_STATUSES.map((s) => `"${s}"`).join(", ");

/**
 * zod schema of a known status; refuses other strings with a message naming the known ones.
 *
 * @example
 * ```ts
 * feedbackStatusSchema.parse("delay") // "delay"
 * ```
 */
export const feedbackStatusSchema = z.enum(FEEDBACK_STATUSES, {
  error: `must be one of ${KNOWN_STATUS_LIST}`,
});
