import type { Channel } from "../schemas/channel.js";
import { createFeedbackEvent } from "../schemas/create-feedback-event.js";
import type { FeedbackEventOf } from "../schemas/feedback-event.js";
import type { DeliveryFeedbackInput, FeedbackEventInput, IdentityMapInput } from "../schemas/feedback-event-input.js";
import type { FeedbackStatus } from "../schemas/feedback-status.js";
import type { MessageExclusion } from "../schemas/message-exclusion.js";
import type { MessageFailure } from "../schemas/message-failure.js";

/**
 * What {@link createTestEvent} lets a test change: any top-level field, and single fields of
 * `messageExecution` and `messageDeliveryFeedback` (merged into the defaults).
 *
 * @example
 * ```ts
 * const overrides: TestEventOverrides<"delay", "sms"> = { channel: "sms", messageDeliveryFeedback: { retryCount: 1 } };
 * ```
 */
export interface TestEventOverrides<S extends FeedbackStatus, C extends Channel> {
  /** @default "email" */
  channel?: C;
  /** @default a fresh 32-character id */
  requestId?: string;
  /** @default "TEST0000000000000000000@AdobeOrg" */
  imsOrg?: string;
  /** @default { id: "00000000-0000-4000-8000-000000000001", name: "prod" } */
  sandbox?: { id: string; name: string };
  messageExecution?: Partial<FeedbackEventInput<S, C>["messageExecution"]>;
  messageDeliveryFeedback?: Partial<Omit<DeliveryFeedbackInput<S>, "feedbackStatus">>;
  /** @default `{ email: [{ id: "jane.doe@example.com", primary: true }] }` or `{ phone: [{ id: "+14155550123", primary: true }] }` */
  identityMap?: IdentityMapInput<C>;
}

const FAILURES: Partial<Record<FeedbackStatus, MessageFailure>> = {
  bounce: { category: "async", type: "Hard", code: "10", reason: "Invalid Recipient" },
  error: { category: "sync", type: "Admin", code: "25", reason: "Admin Failure" },
  delay: { category: "async", type: "Soft", code: "22", reason: "Mailbox Full" },
};
const EXCLUSION: MessageExclusion = { code: "suppressed", reason: "Recipient is on the suppression list" };
const IDENTITIES = {
  email: { email: [{ id: "jane.doe@example.com", primary: true }] },
  sms: { phone: [{ id: "+14155550123", primary: true }] },
};

/**
 * A valid feedback event of any status and channel, for tests: realistic defaults (a failure on
 * `bounce`/`error`/`delay`, an exclusion on `exclude`), built and checked by the same builder the
 * sender uses, so the receiver accepts it.
 *
 * @example
 * ```ts
 * const bounce = createTestEvent("bounce");
 * const smsDelay = createTestEvent("delay", { channel: "sms", messageDeliveryFeedback: { retryCount: 2 } });
 * ```
 */
export function createTestEvent<S extends FeedbackStatus, C extends Channel = "email">(
  status: S,
  overrides: TestEventOverrides<S, C> = {},
): FeedbackEventOf<S, C> {
  const channel = overrides.channel ?? ("email" as C);
  const failure = FAILURES[status];
  const input: FeedbackEventInput<S, C> = {
    imsOrg: overrides.imsOrg ?? "TEST0000000000000000000@AdobeOrg",
    sandbox: overrides.sandbox ?? { id: "00000000-0000-4000-8000-000000000001", name: "prod" },
    channel,
    messageExecution: {
      messageExecutionID: "TEST-00000001",
      campaignID: "00000000-0000-4000-8000-00000000c001",
      campaignVersionID: "00000000-0000-4000-8000-00000000c002",
      ...overrides.messageExecution,
    },
    // Failure and exclusion defaults follow `status` at run time; the builder below checks the result.
    messageDeliveryFeedback: {
      feedbackStatus: { value: status },
      ...(failure && { messageFailure: { ...failure } }),
      ...(status === "exclude" && { messageExclusion: { ...EXCLUSION } }),
      ...overrides.messageDeliveryFeedback,
    } as unknown as DeliveryFeedbackInput<S>,
    // The default map matches `channel`, which TypeScript cannot follow through the lookup.
    identityMap: overrides.identityMap ?? (IDENTITIES[channel] as unknown as IdentityMapInput<C>),
    ...(overrides.requestId !== undefined && { requestId: overrides.requestId }),
  };
  return createFeedbackEvent(input);
}
