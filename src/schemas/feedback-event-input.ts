import type { Channel } from "./channel.js";
import type { FeedbackStatus } from "./feedback-status.js";
import type { AuthenticatedState, IDENTITY_NAMESPACES } from "./identity-map.js";
import type { JsonValue } from "./json-value.js";
import type { MessageExclusion } from "./message-exclusion.js";
import type { MessageFailure } from "./message-failure.js";

/**
 * An identity as a sender gives it: `email` ids must be email addresses, `phone` ids E.164.
 *
 * @example
 * ```ts
 * const identity: IdentityInput = { id: "+14155550123", primary: true, authenticatedState: "authenticated" }
 * ```
 */
export interface IdentityInput {
  id: string;
  primary?: boolean;
  authenticatedState?: AuthenticatedState;
}

/**
 * The identity map a sender gives for channel `C`: the channel's namespace is required,
 * other namespaces (`ecid`, …) are allowed; every list must be non-empty.
 *
 * @example
 * ```ts
 * const map: IdentityMapInput<"email"> = { email: [{ id: "john.doe@luma.com", primary: true }] }
 * ```
 */
export type IdentityMapInput<C extends Channel> = C extends Channel
  ? { [namespace: string]: readonly IdentityInput[] } & {
      [N in (typeof IDENTITY_NAMESPACES)[C]]: readonly IdentityInput[];
    }
  : never;

type FailureInput<S extends FeedbackStatus> = S extends "bounce" | "error"
  ? { messageFailure: MessageFailure }
  : S extends "delay"
    ? { messageFailure?: MessageFailure | null }
    : { messageFailure?: null };

type ExclusionInput<S extends FeedbackStatus> = S extends "exclude"
  ? { messageExclusion: MessageExclusion }
  : { messageExclusion?: null };

/**
 * `messageDeliveryFeedback` as a sender gives it: `offers` defaults to `null`, `retryCount` to `0`,
 * and `messageFailure`/`messageExclusion` are required exactly where the status needs them.
 *
 * @example
 * ```ts
 * const feedback: DeliveryFeedbackInput<"bounce"> = {
 *   feedbackStatus: { value: "bounce" },
 *   messageFailure: { category: "async", type: "Hard", code: "10", reason: "Invalid Recipient" },
 * }
 * ```
 */
export type DeliveryFeedbackInput<S extends FeedbackStatus> = {
  feedbackStatus: { value: S };
  /** @default null */
  offers?: JsonValue;
  /** @default 0 */
  retryCount?: number;
} & FailureInput<S> &
  ExclusionInput<S>;

/**
 * What {@link createFeedbackEvent} accepts for status `S` and channel `C`. Unknown keys are refused.
 *
 * @example
 * ```ts
 * const input: FeedbackEventInput<"delivered", "sms"> = {
 *   imsOrg: "907075E95BF479EC0A495C73@AdobeOrg",
 *   sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
 *   channel: "sms",
 *   messageExecution: { messageExecutionID: "HUMA-1", campaignID: "c-1", campaignVersionID: "v-1" },
 *   messageDeliveryFeedback: { feedbackStatus: { value: "delivered" } },
 *   identityMap: { phone: [{ id: "+14155550123", primary: true }] },
 * }
 * ```
 */
export interface FeedbackEventInput<S extends FeedbackStatus = FeedbackStatus, C extends Channel = Channel> {
  /** @default a fresh 32-character id from {@link generateRequestId} */
  requestId?: string;
  imsOrg: string;
  sandbox: { id: string; name: string };
  channel: C;
  /** @default "message.feedback" */
  eventType?: "message.feedback";
  messageExecution: {
    messageExecutionID: string;
    /** @default "transactional" */
    messageType?: string;
    campaignID: string;
    campaignVersionID: string;
  };
  messageDeliveryFeedback: DeliveryFeedbackInput<S>;
  identityMap: IdentityMapInput<C>;
}
