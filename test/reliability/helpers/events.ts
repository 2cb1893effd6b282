import type { FeedbackEventInput } from "../../../src/schemas/index.js";

export const ORG = "reliabilityOrg";
export const SANDBOX = { id: "6c4bd3d6-9b7e-4c1e-8f0e-3f1f5f0c2a11", name: "prod" };
export const CAMPAIGN = "0b9a7c52-1f0e-4d7a-9a51-7d4f1f6f3c01";

/**
 * The i-th event of a run: a delivered email feedback for a recipient of its own, so every event
 * has its own idempotency key and identity.
 *
 * @example
 * ```ts
 * await dispatcher.publishMany(Array.from({ length: 10 }, (_, i) => eventNo(i)));
 * ```
 */
export function eventNo(i: number, overrides: Partial<FeedbackEventInput<"delivered", "email">> = {}) {
  const n = String(i).padStart(8, "0");
  return {
    requestId: `rel-${n}-0000000000000000000`,
    imsOrg: ORG,
    sandbox: SANDBOX,
    channel: "email" as const,
    messageExecution: {
      messageExecutionID: `HUMA-${n}`,
      messageType: "transactional",
      campaignID: CAMPAIGN,
      campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
    },
    messageDeliveryFeedback: { feedbackStatus: { value: "delivered" as const }, retryCount: 0 },
    identityMap: { email: [{ id: `user${n}@example.com`, primary: true }] },
    ...overrides,
  } satisfies FeedbackEventInput<"delivered", "email">;
}
