import { z } from "zod";
import { FEEDBACK_STATUSES, type FeedbackStatus, KNOWN_STATUS_LIST } from "./feedback-status.js";
import { jsonValueSchema } from "./json-value.js";
import { messageExclusionSchema, messageExclusionShape } from "./message-exclusion.js";
import { messageFailureSchema, messageFailureShape } from "./message-failure.js";
import { preview, statusEvent, unlessMissing } from "./payload-error-map.js";

// Receivers are tolerant: a missing `offers`, `messageFailure` or `messageExclusion` reads as null.
const offersSchema = jsonValueSchema.default(null);

/**
 * `retryCount`: the platform's retry count for the message, an integer ≥ 0.
 *
 * @example
 * ```ts
 * retryCountSchema.parse(2) // 2; -1, 1.5 and "1" are refused
 * ```
 */
export const retryCountSchema = z
  .int({ error: unlessMissing("must be a whole number ≥ 0") })
  .min(0, "must be a whole number ≥ 0");

const optionalFailure = messageFailureSchema.nullable().default(null);
const optionalExclusion = messageExclusionSchema.nullable().default(null);

function nullFailure(status: FeedbackStatus) {
  const only = "only bounce, error and delay events carry a messageFailure";
  return z.null({ error: `must be null for ${statusEvent(status)}; ${only}` }).default(null);
}

function nullExclusion(status: FeedbackStatus) {
  return z
    .null({ error: `must be null for ${statusEvent(status)}; only exclude events carry a messageExclusion` })
    .default(null);
}

function requiredFailure(status: FeedbackStatus) {
  const message = `is required for ${statusEvent(status)}: an object {category, type, code, reason}`;
  return z.looseObject(messageFailureShape, { error: (issue) => (issue.input == null ? message : undefined) });
}

const requiredExclusion = z.looseObject(messageExclusionShape, {
  error: (issue) => (issue.input == null ? 'is required for an "exclude" event: an object {code, reason}' : undefined),
});

function deliveryFeedbackSchema<V extends z.ZodType, F extends z.ZodType, X extends z.ZodType>(
  value: V,
  messageFailure: F,
  messageExclusion: X,
) {
  return z.looseObject({
    feedbackStatus: z.looseObject({ value }),
    offers: offersSchema,
    messageFailure,
    messageExclusion,
    retryCount: retryCountSchema,
  });
}

/**
 * The received `messageDeliveryFeedback` of each known status with that status's failure and
 * exclusion rules, plus `unknown` (a newer status) and `rejected` (reports a newer status).
 *
 * @example
 * ```ts
 * deliveryFeedbackSchemas.delay.parse({ feedbackStatus: { value: "delay" }, retryCount: 1 }).messageFailure // null
 * ```
 */
export const deliveryFeedbackSchemas = {
  sent: deliveryFeedbackSchema(z.literal("sent"), nullFailure("sent"), nullExclusion("sent")),
  delivered: deliveryFeedbackSchema(z.literal("delivered"), nullFailure("delivered"), nullExclusion("delivered")),
  bounce: deliveryFeedbackSchema(z.literal("bounce"), requiredFailure("bounce"), nullExclusion("bounce")),
  error: deliveryFeedbackSchema(z.literal("error"), requiredFailure("error"), nullExclusion("error")),
  delay: deliveryFeedbackSchema(z.literal("delay"), optionalFailure, nullExclusion("delay")),
  exclude: deliveryFeedbackSchema(z.literal("exclude"), nullFailure("exclude"), requiredExclusion),
  // A newer status: its failure and exclusion, when present, still have the documented shapes.
  unknown: deliveryFeedbackSchema(
    z.string({ error: `must be a status string such as ${KNOWN_STATUS_LIST}` }).min(1, "must not be empty"),
    optionalFailure,
    optionalExclusion,
  ),
  // Validates the rest like `unknown`, so a rejected event still gets every problem listed.
  rejected: deliveryFeedbackSchema(
    z.enum(FEEDBACK_STATUSES, {
      error: (issue) =>
        issue.input === undefined
          ? `is required: one of ${KNOWN_STATUS_LIST}`
          : `unknown status ${preview(issue.input)}; must be one of ${KNOWN_STATUS_LIST}`,
    }),
    optionalFailure,
    optionalExclusion,
  ),
};
