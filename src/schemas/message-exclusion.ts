import { z } from "zod";

/**
 * Why a message was not sent (`messageDeliveryFeedback.messageExclusion` of an `exclude` event).
 *
 * @example
 * ```ts
 * const exclusion: MessageExclusion = { code: "10", reason: "Address is on the suppression list" }
 * ```
 */
export interface MessageExclusion {
  /** The exclusion rule's code. */
  code: string;
  /** A human-readable label. */
  reason: string;
}

/**
 * The fields of a `messageExclusion` as a receiver checks them.
 *
 * @example
 * ```ts
 * z.looseObject(messageExclusionShape, { error: "is required" })
 * ```
 */
export const messageExclusionShape = {
  code: z.string().min(1, "must not be empty"),
  reason: z.string(),
};

/**
 * A received `messageExclusion` object; extra fields are kept.
 *
 * @example
 * ```ts
 * messageExclusionSchema.parse({ code: "10", reason: "Address is on the suppression list" })
 * ```
 */
export const messageExclusionSchema = z.looseObject(messageExclusionShape);
