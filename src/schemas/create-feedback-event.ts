import { PayloadValidationError } from "../errors.js";
import { rememberBuiltEvent } from "./built-event-json.js";
import type { Channel } from "./channel.js";
import type { FeedbackEventOf } from "./feedback-event.js";
import type { FeedbackEventInput } from "./feedback-event-input.js";
import { feedbackEventInputSchemas } from "./feedback-event-input-schema.js";
import { type FeedbackStatus, isFeedbackStatus } from "./feedback-status.js";
import { readDiscriminators } from "./read-discriminators.js";
import { validatePayload } from "./validate-payload.js";

function schemaFor(input: unknown) {
  const { status, channel } = readDiscriminators(input);
  return feedbackEventInputSchemas[isFeedbackStatus(status) ? status : "invalid"][
    channel === "email" || channel === "sms" ? channel : "other"
  ];
}

/**
 * Builds a feedback event for sending. Strict: unknown keys are refused, `email` identities must
 * be email addresses, `phone` identities E.164 (`+` and 8–15 digits), and a `bounce`/`error`
 * must carry a `messageFailure`. Fills the defaults: `eventType`, `messageType: "transactional"`,
 * `retryCount: 0`, `offers: null`, a `null` `messageFailure`/`messageExclusion` where the status
 * has none, and a fresh {@link generateRequestId} when `requestId` is absent.
 *
 * Returns a new plain object that shares nothing with `input` and is not frozen (callers may
 * still adjust it before sending); it is exactly what `JSON.stringify` will send, and
 * {@link parseFeedbackEvent} accepts it. The dispatcher's `publish` does not validate it again
 * while its JSON is still the one built here; an adjusted event is validated again, like any input.
 *
 * @throws {PayloadValidationError} listing every problem with its JSON path.
 * @example
 * ```ts
 * const event = createFeedbackEvent({
 *   imsOrg: "907075E95BF479EC0A495C73@AdobeOrg",
 *   sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
 *   channel: "email",
 *   messageExecution: { messageExecutionID: "HUMA-26362805", campaignID: "16f2…", campaignVersionID: "2ca1…" },
 *   messageDeliveryFeedback: {
 *     feedbackStatus: { value: "bounce" },
 *     messageFailure: { category: "sync", type: "Ignored", code: "25", reason: "Admin Failure" },
 *   },
 *   identityMap: { email: [{ id: "john.doe@luma.com", primary: true }] },
 * }) // BounceEvent<"email">
 * ```
 */
export function createFeedbackEvent<S extends FeedbackStatus, C extends Channel>(
  input: FeedbackEventInput<S, C>,
): FeedbackEventOf<S, C> {
  const result = validatePayload(schemaFor(input), input);
  if (!result.success) throw new PayloadValidationError(result.issues);
  // The schema was picked by the input's own status and channel, so its output is that event type.
  const event = result.data as FeedbackEventOf<S, C>;
  const feedback = event.messageDeliveryFeedback;
  let text: string;
  try {
    // A copy through JSON: `offers` must not alias the caller's object, and must read back as sent (-0 → 0).
    text = JSON.stringify(feedback.offers);
    feedback.offers = JSON.parse(text);
  } catch (cause) {
    const issue = { path: "messageDeliveryFeedback.offers", message: "is nested too deeply to be sent as JSON" };
    throw new PayloadValidationError([issue], { cause });
  }
  // Receivers drop "__proto__" keys (prototype pollution), so the event would not read back as
  // sent. In JSON text the quoted name followed by a colon can only be a key.
  if (text.includes('"__proto__":')) {
    const issue = {
      path: "messageDeliveryFeedback.offers",
      message: 'must not contain a "__proto__" key: receivers drop it',
    };
    throw new PayloadValidationError([issue]);
  }
  rememberBuiltEvent(event, JSON.stringify(event));
  return event;
}
