import { z } from "zod";
import { channelSchema } from "./channel.js";
import { retryCountSchema } from "./delivery-feedback-schemas.js";
import { type FeedbackStatus, feedbackStatusSchema } from "./feedback-status.js";
import { generateRequestId } from "./generate-request-id.js";
import { AUTHENTICATED_STATES } from "./identity-map.js";
import { jsonValueSchema } from "./json-value.js";
import { FAILURE_CATEGORIES, failureCodeSchema } from "./message-failure.js";
import { statusEvent } from "./payload-error-map.js";

// Senders are strict: every object refuses unknown keys, and defaults are filled here, in one place.
const text = z.string().regex(/\S/, "must not be blank");
const requestIdSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,256}$/, "must be 1–256 visible ASCII characters without spaces")
  .default(generateRequestId);

const identityId = {
  email: z.email('must be a valid email address, e.g. "john.doe@luma.com"'),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{7,14}$/, 'must be an E.164 phone number: "+" and 8–15 digits, e.g. "+14155550123"'),
  other: text,
};

function identityList(id: z.ZodString | z.ZodEmail, missing?: string) {
  const identity = z.strictObject({
    id,
    primary: z.boolean().optional(),
    authenticatedState: z.enum(AUTHENTICATED_STATES).optional(),
  });
  const error =
    missing === undefined
      ? undefined
      : (issue: { input?: unknown }) => (issue.input === undefined ? missing : undefined);
  return z.array(identity, { error }).min(1, "must list at least one identity");
}

const identityMapSchemas = {
  email: z
    .object({
      email: identityList(identityId.email, 'is required: email events carry an "email" identity'),
      phone: identityList(identityId.phone).optional(),
    })
    .catchall(identityList(identityId.other)),
  sms: z
    .object({
      phone: identityList(identityId.phone, 'is required: sms events carry a "phone" identity'),
      email: identityList(identityId.email).optional(),
    })
    .catchall(identityList(identityId.other)),
  other: z
    .object({ email: identityList(identityId.email).optional(), phone: identityList(identityId.phone).optional() })
    .catchall(identityList(identityId.other)),
};

const failureSchema = z.strictObject({
  category: z.enum(FAILURE_CATEGORIES),
  type: text,
  code: failureCodeSchema,
  reason: text,
});
const exclusionSchema = z.strictObject({ code: text, reason: text });

function failureFor(status: FeedbackStatus | "invalid") {
  if (status === "bounce" || status === "error") {
    const message = `is required for ${statusEvent(status)}: an object {category, type, code, reason}`;
    return z.strictObject(failureSchema.shape, { error: (i) => (i.input == null ? message : undefined) });
  }
  if (status === "delay" || status === "invalid") return failureSchema.nullable().default(null);
  const only = "only bounce, error and delay events carry a messageFailure";
  return z.null({ error: `must be null for ${statusEvent(status)}; ${only}` }).default(null);
}

function exclusionFor(status: FeedbackStatus | "invalid") {
  if (status === "exclude") {
    const message = 'is required for an "exclude" event: an object {code, reason}';
    return z.strictObject(exclusionSchema.shape, { error: (i) => (i.input == null ? message : undefined) });
  }
  if (status === "invalid") return exclusionSchema.nullable().default(null);
  const only = "only exclude events carry a messageExclusion";
  return z.null({ error: `must be null for ${statusEvent(status)}; ${only}` }).default(null);
}

function inputSchema(status: FeedbackStatus | "invalid", channel: keyof typeof identityMapSchemas) {
  return z.strictObject({
    requestId: requestIdSchema,
    imsOrg: text,
    sandbox: z.strictObject({ id: text, name: text }),
    channel: channel === "other" ? channelSchema : z.literal(channel),
    eventType: z.literal("message.feedback").default("message.feedback"),
    messageExecution: z.strictObject({
      messageExecutionID: text,
      messageType: text.default("transactional"),
      campaignID: text,
      campaignVersionID: text,
    }),
    messageDeliveryFeedback: z.strictObject({
      feedbackStatus: z.strictObject({ value: status === "invalid" ? feedbackStatusSchema : z.literal(status) }),
      offers: jsonValueSchema.default(null),
      messageFailure: failureFor(status),
      messageExclusion: exclusionFor(status),
      retryCount: retryCountSchema.default(0),
    }),
    identityMap: identityMapSchemas[channel],
  });
}

function byChannel(status: FeedbackStatus | "invalid") {
  return { email: inputSchema(status, "email"), sms: inputSchema(status, "sms"), other: inputSchema(status, "other") };
}

/**
 * The sending side's strict schema of each status (`invalid` for a status outside the six) ×
 * channel (`other` for an invalid channel); `createFeedbackEvent` dispatches to exactly one.
 *
 * @example
 * ```ts
 * feedbackEventInputSchemas.bounce.email.safeParse(input)
 * ```
 */
export const feedbackEventInputSchemas = {
  sent: byChannel("sent"),
  delivered: byChannel("delivered"),
  bounce: byChannel("bounce"),
  error: byChannel("error"),
  delay: byChannel("delay"),
  exclude: byChannel("exclude"),
  invalid: byChannel("invalid"),
};
