import { z } from "zod";
import { channelSchema } from "./channel.js";
import { deliveryFeedbackSchemas } from "./delivery-feedback-schemas.js";
import type { FeedbackEvent } from "./feedback-event.js";
import { FEEDBACK_STATUSES } from "./feedback-status.js";
import { channelIdentityMapSchemas, identityMapSchema } from "./identity-map.js";

const nonEmpty = z.string().min(1, "must not be empty");
/**
 * A received `sandbox`: `id` and `name` are non-empty; extra fields are kept.
 *
 * @example
 * ```ts
 * sandboxSchema.parse({ id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" })
 * ```
 */
export const sandboxSchema = z.looseObject({ id: nonEmpty, name: nonEmpty });
const eventTypeSchema = z.literal("message.feedback");
/**
 * A received `messageExecution`: four non-empty strings; extra fields are kept.
 *
 * @example
 * ```ts
 * messageExecutionSchema.shape.messageType.parse("transactional")
 * ```
 */
export const messageExecutionSchema = z.looseObject({
  messageExecutionID: nonEmpty,
  messageType: nonEmpty,
  campaignID: nonEmpty,
  campaignVersionID: nonEmpty,
});

function eventSchema<Ch extends z.ZodType, I extends z.ZodType, F extends z.ZodType>(
  channel: Ch,
  identityMap: I,
  messageDeliveryFeedback: F,
) {
  // Keys in the documented order: a validated or built event serializes like the documentation.
  return z.looseObject({
    requestId: nonEmpty,
    imsOrg: nonEmpty,
    sandbox: sandboxSchema,
    channel,
    eventType: eventTypeSchema,
    messageExecution: messageExecutionSchema,
    messageDeliveryFeedback,
    identityMap,
  });
}

function byChannel<F extends z.ZodType>(feedback: F) {
  return {
    email: eventSchema(z.literal("email"), channelIdentityMapSchemas.email, feedback),
    sms: eventSchema(z.literal("sms"), channelIdentityMapSchemas.sms, feedback),
    // Only for reporting: with an invalid channel no channel's identity rule applies.
    other: eventSchema(channelSchema, identityMapSchema, feedback),
  };
}

/**
 * The receiving side's schema of every status (the six known, `unknown` and `rejected`) ×
 * channel (`email`, `sms`, `other` for an invalid channel). `parseFeedbackEvent` dispatches to
 * exactly one of them, so problems are reported precisely rather than as a union mismatch.
 *
 * @example
 * ```ts
 * receivedEventSchemas.bounce.sms.safeParse(JSON.parse(body))
 * ```
 */
export const receivedEventSchemas = {
  sent: byChannel(deliveryFeedbackSchemas.sent),
  delivered: byChannel(deliveryFeedbackSchemas.delivered),
  bounce: byChannel(deliveryFeedbackSchemas.bounce),
  error: byChannel(deliveryFeedbackSchemas.error),
  delay: byChannel(deliveryFeedbackSchemas.delay),
  exclude: byChannel(deliveryFeedbackSchemas.exclude),
  unknown: byChannel(deliveryFeedbackSchemas.unknown),
  rejected: byChannel(deliveryFeedbackSchemas.rejected),
};

/**
 * zod schema of a received feedback event with a known status: the union of every status ×
 * channel. Tolerant like a receiver: extra fields are kept and a missing `offers`,
 * `messageFailure` or `messageExclusion` reads as `null`. Use it for your own `safeParse` or
 * JSON Schema; {@link parseFeedbackEvent} gives precise errors and handles unknown statuses.
 *
 * @example
 * ```ts
 * const result = feedbackEventSchema.safeParse(JSON.parse(body))
 * if (result.success) console.log(result.data.requestId)
 * ```
 */
export const feedbackEventSchema: z.ZodType<FeedbackEvent> = z.union(
  FEEDBACK_STATUSES.flatMap((status) => [receivedEventSchemas[status].email, receivedEventSchemas[status].sms]),
);
