import fc from "fast-check";
import {
  type AuthenticatedState,
  createFeedbackEvent,
  type DeliveryFeedbackInput,
  type FeedbackEvent,
  type FeedbackEventInput,
  type FeedbackStatus,
  type IdentityInput,
  isJsonValue,
  type JsonValue,
  type MessageExclusion,
  type MessageFailure,
} from "../../src/schemas/index.js";

const chars = (s: string) => fc.constantFrom(...s.split(""));
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const ALNUM = `${LOWER}${LOWER.toUpperCase()}0123456789`;

// Any non-blank Unicode text (well-formed, so it survives UTF-8 bytes as well as JSON).
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 }).filter((s) => /\S/.test(s));
const digits = (min: number, max: number) => fc.string({ unit: chars("0123456789"), minLength: min, maxLength: max });

// Addresses within the builder's email syntax: dot-separated atoms, hostname labels, a letter TLD.
const emailAddress = fc
  .tuple(
    fc.array(fc.string({ unit: chars(`${ALNUM}_+-`), minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
    fc.array(
      fc.tuple(chars(ALNUM), fc.string({ unit: chars(`${ALNUM}-`), maxLength: 10 })).map(([a, b]) => a + b),
      { minLength: 1, maxLength: 3 },
    ),
    fc.string({ unit: chars(LOWER), minLength: 2, maxLength: 6 }),
  )
  .map(([local, labels, tld]) => `${local.join(".")}@${labels.join(".")}.${tld}`);

const e164 = fc.tuple(chars("123456789"), digits(7, 14)).map(([first, rest]) => `+${first}${rest}`);

const identities = (id: fc.Arbitrary<string>): fc.Arbitrary<IdentityInput[]> =>
  fc.array(
    fc.record(
      {
        id,
        primary: fc.boolean(),
        authenticatedState: fc.constantFrom<AuthenticatedState>("ambiguous", "authenticated", "loggedOut"),
      },
      { requiredKeys: ["id"] },
    ),
    { minLength: 1, maxLength: 3 },
  );

const otherNamespaces = fc.dictionary(fc.constantFrom("ecid", "crmId", "loyaltyId"), identities(text), {
  maxKeys: 2,
});

const failure: fc.Arbitrary<MessageFailure> = fc.record({
  category: fc.constantFrom("sync", "async"),
  type: fc.oneof(fc.constantFrom("Ignored", "Hard", "Soft", "Admin"), text),
  code: digits(1, 5),
  reason: text,
});
const exclusion: fc.Arbitrary<MessageExclusion> = fc.record({ code: text, reason: text });
/** Whether a `__proto__` key appears at any depth (fast-check's JSON values sometimes have one). */
function hasProtoKey(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (!Array.isArray(value) && Object.hasOwn(value, "__proto__")) return true;
  return Object.values(value).some(hasProtoKey);
}
// `isJsonValue` only narrows fast-check's JSON type to ours; `__proto__` keys are dropped because
// they are not valid input: receivers drop them, so the builder refuses them (its own test).
const offers: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constant(null),
  fc
    .jsonValue({ maxDepth: 3, stringUnit: "grapheme" })
    .filter(isJsonValue)
    .filter((value) => !hasProtoKey(value)),
);
const common = { offers, retryCount: fc.nat({ max: 50 }) };

const deliveryFeedback: fc.Arbitrary<DeliveryFeedbackInput<FeedbackStatus>> = fc.oneof(
  fc.record(
    {
      feedbackStatus: fc.record({ value: fc.constantFrom("sent", "delivered" as const) }),
      ...common,
      messageFailure: fc.constant(null),
      messageExclusion: fc.constant(null),
    },
    { requiredKeys: ["feedbackStatus"] },
  ),
  fc.record(
    {
      feedbackStatus: fc.record({ value: fc.constantFrom("bounce", "error" as const) }),
      ...common,
      messageFailure: failure,
    },
    { requiredKeys: ["feedbackStatus", "messageFailure"] },
  ),
  fc.record(
    {
      feedbackStatus: fc.constant({ value: "delay" as const }),
      ...common,
      messageFailure: fc.option(failure, { nil: null }),
    },
    { requiredKeys: ["feedbackStatus"] },
  ),
  fc.record(
    { feedbackStatus: fc.constant({ value: "exclude" as const }), ...common, messageExclusion: exclusion },
    { requiredKeys: ["feedbackStatus", "messageExclusion"] },
  ),
);

const base = {
  requestId: fc.string({ unit: chars(ALNUM), minLength: 32, maxLength: 32 }),
  imsOrg: text,
  sandbox: fc.record({ id: fc.uuid(), name: text }),
  eventType: fc.constant("message.feedback" as const),
  messageExecution: fc.record(
    { messageExecutionID: text, messageType: text, campaignID: fc.uuid(), campaignVersionID: fc.uuid() },
    { requiredKeys: ["messageExecutionID", "campaignID", "campaignVersionID"] },
  ),
  messageDeliveryFeedback: deliveryFeedback,
};
const required = [
  "imsOrg",
  "sandbox",
  "channel",
  "messageExecution",
  "messageDeliveryFeedback",
  "identityMap",
] as const;

/**
 * Any valid input of `createFeedbackEvent`: every status and channel, optional fields present or
 * absent, Unicode text, extra identity namespaces, any JSON `offers` (including `-0`).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(feedbackEventInputArbitrary, (input) => { createFeedbackEvent(input) }))
 * ```
 */
export const feedbackEventInputArbitrary: fc.Arbitrary<FeedbackEventInput> = fc.oneof(
  fc.record(
    {
      ...base,
      channel: fc.constant("email" as const),
      identityMap: fc
        .tuple(identities(emailAddress), fc.option(identities(e164), { nil: undefined }), otherNamespaces)
        .map(([email, phone, other]) => ({ ...other, email, ...(phone === undefined ? {} : { phone }) })),
    },
    { requiredKeys: [...required] },
  ),
  fc.record(
    {
      ...base,
      channel: fc.constant("sms" as const),
      identityMap: fc.tuple(identities(e164), otherNamespaces).map(([phone, other]) => ({ ...other, phone })),
    },
    { requiredKeys: [...required] },
  ),
);

/**
 * Any valid feedback event, as the builder makes it (handy for dispatcher and receiver tests).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(feedbackEventArbitrary, (event) => { parseFeedbackEvent(JSON.stringify(event)) }))
 * ```
 */
export const feedbackEventArbitrary: fc.Arbitrary<FeedbackEvent> = feedbackEventInputArbitrary.map((input) =>
  createFeedbackEvent(input),
);
