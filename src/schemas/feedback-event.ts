import type { Channel } from "./channel.js";
import type { FeedbackStatus } from "./feedback-status.js";
import type { ChannelIdentityMap } from "./identity-map.js";
import type { JsonValue } from "./json-value.js";
import type { MessageExclusion } from "./message-exclusion.js";
import type { MessageFailure } from "./message-failure.js";

/**
 * The message execution an event is about.
 *
 * @example
 * ```ts
 * const execution: MessageExecution = {
 *   messageExecutionID: "HUMA-26362805",
 *   messageType: "transactional",
 *   campaignID: "16f24a15-7e21-477c-848a-d5695ca7f137",
 *   campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
 * }
 * ```
 */
export interface MessageExecution {
  messageExecutionID: string;
  /** Open: `transactional` is the documented value. */
  messageType: "transactional" | (string & {});
  campaignID: string;
  campaignVersionID: string;
}

/**
 * `messageFailure` by status: an object on `bounce`/`error`, optional on `delay`, `null` otherwise.
 *
 * @example
 * ```ts
 * type F = MessageFailureOf<"delay"> // MessageFailure | null
 * ```
 */
export type MessageFailureOf<S extends FeedbackStatus> = S extends "bounce" | "error"
  ? MessageFailure
  : S extends "delay"
    ? MessageFailure | null
    : null;

/**
 * `messageExclusion` by status: an object on `exclude`, `null` otherwise.
 *
 * @example
 * ```ts
 * type X = MessageExclusionOf<"exclude"> // MessageExclusion
 * ```
 */
export type MessageExclusionOf<S extends FeedbackStatus> = S extends "exclude" ? MessageExclusion : null;

/**
 * What happened to the message (`messageDeliveryFeedback`) for status `S`.
 *
 * @example
 * ```ts
 * const feedback: MessageDeliveryFeedback<"sent"> = {
 *   feedbackStatus: { value: "sent" }, offers: null, messageFailure: null, messageExclusion: null, retryCount: 0,
 * }
 * ```
 */
export interface MessageDeliveryFeedback<S extends FeedbackStatus = FeedbackStatus> {
  feedbackStatus: { value: S };
  /** `null` in every documented event; any JSON value is accepted. */
  offers: JsonValue;
  messageFailure: MessageFailureOf<S>;
  messageExclusion: MessageExclusionOf<S>;
  /** The platform's retry count for the message (not the webhook attempt number); integer ≥ 0. */
  retryCount: number;
}

/**
 * The fields every feedback event of channel `C` has, whatever its status.
 *
 * @example
 * ```ts
 * function correlate(event: FeedbackEventBase<Channel>) { return event.requestId }
 * ```
 */
export interface FeedbackEventBase<C extends Channel> {
  /** The id of the API call that triggered the message; shared by all events of that call. */
  requestId: string;
  imsOrg: string;
  sandbox: { id: string; name: string };
  channel: C;
  eventType: "message.feedback";
  messageExecution: MessageExecution;
  /** Always holds the channel's namespace: `email` for email events, `phone` (E.164) for SMS. */
  identityMap: ChannelIdentityMap<C>;
}

/**
 * One feedback event of status `S` and channel `C` (not distributed; see {@link FeedbackEventOf}).
 *
 * @example
 * ```ts
 * declare const event: FeedbackEventShape<"bounce", "email">
 * event.messageDeliveryFeedback.messageFailure.code // string
 * ```
 */
export interface FeedbackEventShape<S extends FeedbackStatus, C extends Channel> extends FeedbackEventBase<C> {
  messageDeliveryFeedback: MessageDeliveryFeedback<S>;
}

/**
 * The feedback events of the given status(es) and channel(s), as a union over both.
 * Unknown extra fields of a received event are kept at runtime but not typed.
 *
 * @example
 * ```ts
 * function onFailure(event: FeedbackEventOf<"bounce" | "error">) {
 *   console.log(event.messageDeliveryFeedback.messageFailure.reason)
 * }
 * ```
 */
export type FeedbackEventOf<S extends FeedbackStatus, C extends Channel = Channel> = S extends FeedbackStatus
  ? C extends Channel
    ? FeedbackEventShape<S, C>
    : never
  : never;

/**
 * A feedback event with one of the six known statuses, of channel `C` (both by default).
 * The channel narrows with `event.channel === "sms"` or {@link hasChannel}; the nested status
 * needs {@link hasFeedbackStatus}, because TypeScript does not narrow by a nested property.
 *
 * @example
 * ```ts
 * function onSms(event: FeedbackEvent<"sms">) { return event.identityMap.phone[0].id }
 * ```
 */
export type FeedbackEvent<C extends Channel = Channel> = FeedbackEventOf<FeedbackStatus, C>;

/**
 * A `sent` event: `messageFailure` and `messageExclusion` are `null`.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "sent")) { const e: SentEvent = event }
 * ```
 */
export type SentEvent<C extends Channel = Channel> = FeedbackEventOf<"sent", C>;

/**
 * A `delivered` event: `messageFailure` and `messageExclusion` are `null`.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "delivered")) { const e: DeliveredEvent = event }
 * ```
 */
export type DeliveredEvent<C extends Channel = Channel> = FeedbackEventOf<"delivered", C>;

/**
 * A `bounce` event: `messageFailure` is a {@link MessageFailure}.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "bounce")) event.messageDeliveryFeedback.messageFailure.code
 * ```
 */
export type BounceEvent<C extends Channel = Channel> = FeedbackEventOf<"bounce", C>;

/**
 * An `error` event: `messageFailure` is a {@link MessageFailure}.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "error")) event.messageDeliveryFeedback.messageFailure.reason
 * ```
 */
export type ErrorEvent<C extends Channel = Channel> = FeedbackEventOf<"error", C>;

/**
 * A `delay` event (a retry follows): `messageFailure` is a {@link MessageFailure} or `null`.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "delay")) event.messageDeliveryFeedback.messageFailure?.code
 * ```
 */
export type DelayEvent<C extends Channel = Channel> = FeedbackEventOf<"delay", C>;

/**
 * An `exclude` event (a rule kept the message from being sent): `messageExclusion` is set.
 *
 * @example
 * ```ts
 * if (hasFeedbackStatus(event, "exclude")) event.messageDeliveryFeedback.messageExclusion.reason
 * ```
 */
export type ExcludeEvent<C extends Channel = Channel> = FeedbackEventOf<"exclude", C>;
