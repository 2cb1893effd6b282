/**
 * The feedback-event payload: schemas, types, guards, the receiver's parser and the sender's builder.
 *
 * @example
 * ```ts
 * import { parseFeedbackEvent, hasFeedbackStatus } from "feedback-webhooks"
 * const event = parseFeedbackEvent(rawBody)
 * if (hasFeedbackStatus(event, "bounce")) console.log(event.messageDeliveryFeedback.messageFailure.reason)
 * ```
 */
export { CHANNELS, type Channel, channelSchema } from "./channel.js";
export { createFeedbackEvent } from "./create-feedback-event.js";
export {
  EMAIL_FAILURE_CODES,
  type EmailFailureCode,
  type FailureDescription,
  describeFailure,
} from "./email-failure-codes.js";
export type {
  BounceEvent,
  DelayEvent,
  DeliveredEvent,
  ErrorEvent,
  ExcludeEvent,
  FeedbackEvent,
  FeedbackEventBase,
  FeedbackEventOf,
  FeedbackEventShape,
  MessageDeliveryFeedback,
  MessageExclusionOf,
  MessageExecution,
  MessageFailureOf,
  SentEvent,
} from "./feedback-event.js";
export type {
  DeliveryFeedbackInput,
  FeedbackEventInput,
  IdentityInput,
  IdentityMapInput,
} from "./feedback-event-input.js";
export { feedbackEventSchema } from "./feedback-event-schema.js";
export { FEEDBACK_STATUSES, type FeedbackStatus, feedbackStatusSchema, isFeedbackStatus } from "./feedback-status.js";
export { feedbackStatusOf } from "./feedback-status-of.js";
export { generateRequestId } from "./generate-request-id.js";
export { hasChannel } from "./has-channel.js";
export { hasFeedbackStatus } from "./has-feedback-status.js";
export {
  AUTHENTICATED_STATES,
  type AuthenticatedState,
  type ChannelIdentityMap,
  IDENTITY_NAMESPACES,
  type Identity,
  type IdentityMap,
  type NonEmptyArray,
} from "./identity-map.js";
export { isKnownFeedbackEvent } from "./is-known-feedback-event.js";
export { isJsonValue, type JsonObject, type JsonValue } from "./json-value.js";
export { jsonSchemas } from "./json-schemas.js";
export type { MessageExclusion } from "./message-exclusion.js";
export { FAILURE_CATEGORIES, type FailureType, type MessageFailure } from "./message-failure.js";
export { type ParseFeedbackEventOptions, parseFeedbackEvent } from "./parse-feedback-event.js";
export type { AnyFeedbackEvent, UnknownStatusEvent, UnknownStatusEventShape } from "./unknown-status-event.js";
