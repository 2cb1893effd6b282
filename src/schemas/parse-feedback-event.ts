import { ConfigValidationError, PayloadValidationError } from "../errors.js";
import { decodeJsonBody } from "./decode-json-body.js";
import type { FeedbackEvent } from "./feedback-event.js";
import { receivedEventSchemas } from "./feedback-event-schema.js";
import { isFeedbackStatus } from "./feedback-status.js";
import { preview } from "./payload-error-map.js";
import type { AnyFeedbackEvent } from "./unknown-status-event.js";
import { readDiscriminators } from "./read-discriminators.js";
import { validatePayload } from "./validate-payload.js";

/**
 * Options of {@link parseFeedbackEvent}.
 *
 * @example
 * ```ts
 * const options: ParseFeedbackEventOptions = { unknownStatus: "reject" }
 * ```
 */
export interface ParseFeedbackEventOptions {
  /**
   * A status outside the six known ones: `"accept"` returns an {@link UnknownStatusEvent} (forward
   * compatible), `"reject"` throws a {@link PayloadValidationError} naming the known statuses.
   * @default "accept"
   */
  unknownStatus?: "accept" | "reject";
}

function schemaFor(event: object, unknownStatus: "accept" | "reject") {
  const { status, channel } = readDiscriminators(event);
  const statusKey = isFeedbackStatus(status) ? status : unknownStatus === "reject" ? "rejected" : "unknown";
  const channelKey = channel === "email" || channel === "sms" ? channel : "other";
  return receivedEventSchemas[statusKey][channelKey];
}

/**
 * Parses and validates a received feedback event: an object, a JSON string, or UTF-8 bytes
 * (`Uint8Array`, `Buffer`, `ArrayBuffer`). Extra fields are kept; a missing `offers`,
 * `messageFailure` or `messageExclusion` reads as `null`. The event is checked against the one
 * schema of its status and channel, so every problem is reported with its JSON path.
 * `__proto__` keys are dropped, never turned into a prototype.
 *
 * @throws {PayloadParseError} the body is not UTF-8 or not JSON.
 * @throws {PayloadValidationError} the event breaks the payload rules; `issues` lists every problem.
 * @example
 * ```ts
 * const event = parseFeedbackEvent(rawBody)
 * if (hasFeedbackStatus(event, "bounce")) console.log(event.messageDeliveryFeedback.messageFailure.code)
 * const strict = parseFeedbackEvent(rawBody, { unknownStatus: "reject" }) // FeedbackEvent
 * ```
 */
export function parseFeedbackEvent(input: unknown, options: { unknownStatus: "reject" }): FeedbackEvent;
/**
 * Parses and validates a received feedback event; a status outside the six known ones comes back
 * as an {@link UnknownStatusEvent} unless `unknownStatus` is `"reject"`. See the overload above.
 *
 * @example
 * ```ts
 * const event = parseFeedbackEvent(rawBody) // FeedbackEvent | UnknownStatusEvent
 * if (!isKnownFeedbackEvent(event)) return
 * ```
 */
export function parseFeedbackEvent(input: unknown, options?: ParseFeedbackEventOptions): AnyFeedbackEvent;
export function parseFeedbackEvent(input: unknown, options: ParseFeedbackEventOptions = {}): AnyFeedbackEvent {
  const unknownStatus = options.unknownStatus ?? "accept";
  if (unknownStatus !== "accept" && unknownStatus !== "reject") {
    throw new ConfigValidationError([{ path: "unknownStatus", message: 'must be "accept" or "reject"' }], {
      what: "Invalid parseFeedbackEvent options",
    });
  }
  const value = decodeJsonBody(input);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PayloadValidationError([{ path: "", message: `must be a JSON object, got ${preview(value)}` }]);
  }
  const result = validatePayload(schemaFor(value, unknownStatus), value);
  if (!result.success) throw new PayloadValidationError(result.issues);
  // The schema was picked by this event's own status and channel, so its output is that event type.
  return result.data as AnyFeedbackEvent;
}
