import type { Channel } from "./channel.js";
import type { FeedbackEvent, FeedbackEventBase } from "./feedback-event.js";
import type { JsonValue } from "./json-value.js";
import type { MessageExclusion } from "./message-exclusion.js";
import type { MessageFailure } from "./message-failure.js";

/**
 * An event whose status is none of the six known ones (a newer platform status). Its common
 * fields were validated like any event's; `parseFeedbackEvent` returns it unless told to reject.
 * The status is typed `string` (TypeScript cannot express "a string but not these six").
 *
 * @example
 * ```ts
 * const event = parseFeedbackEvent(body)
 * if (!isKnownFeedbackEvent(event)) log.info("new status", event.messageDeliveryFeedback.feedbackStatus.value)
 * ```
 */
export interface UnknownStatusEventShape<C extends Channel> extends FeedbackEventBase<C> {
  messageDeliveryFeedback: {
    feedbackStatus: { value: string };
    offers: JsonValue;
    messageFailure: MessageFailure | null;
    messageExclusion: MessageExclusion | null;
    retryCount: number;
  };
}

/**
 * An event with an unknown status, as a union over channel `C` (so `event.channel` narrows it).
 *
 * @example
 * ```ts
 * function archive(event: UnknownStatusEvent) { store.put(event.requestId, event) }
 * ```
 */
export type UnknownStatusEvent<C extends Channel = Channel> = C extends Channel ? UnknownStatusEventShape<C> : never;

/**
 * What a tolerant receiver gets: a known {@link FeedbackEvent} or an {@link UnknownStatusEvent}.
 *
 * @example
 * ```ts
 * const event: AnyFeedbackEvent = parseFeedbackEvent(body)
 * ```
 */
export type AnyFeedbackEvent<C extends Channel = Channel> = FeedbackEvent<C> | UnknownStatusEvent<C>;
