import { describe, expect, it } from "vitest";
import { unchangedBuiltJson } from "../../src/schemas/built-event-json.js";
import { createFeedbackEvent, type FeedbackEventInput } from "../../src/schemas/index.js";

const input = {
  imsOrg: "907075E95BF479EC0A495C73@AdobeOrg",
  sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
  channel: "sms",
  messageExecution: {
    messageExecutionID: "HUMA-26371980",
    campaignID: "b2d94e07-6a1f-4c3b-9e85-7f20c1a4d6e9",
    campaignVersionID: "0e7a3c95-d41b-4f62-8a3e-95b6c2f1d704",
  },
  messageDeliveryFeedback: { feedbackStatus: { value: "delivered" } },
  identityMap: { phone: [{ id: "+14155550123", primary: true }] },
} satisfies FeedbackEventInput<"delivered", "sms">;

describe("unchangedBuiltJson", () => {
  it("gives the JSON of an event createFeedbackEvent built and nobody changed", () => {
    const event = createFeedbackEvent(input);
    expect(unchangedBuiltJson(event)).toBe(JSON.stringify(event));
  });

  it("gives nothing for what the builder did not return: its input, a copy, other values", () => {
    const event = createFeedbackEvent(input);
    for (const value of [input, structuredClone(event), { ...event }, JSON.stringify(event), null, 1, undefined]) {
      expect(unchangedBuiltJson(value)).toBeUndefined();
    }
  });

  it("gives nothing once a change shows in the JSON, deep inside as well", () => {
    const changes: Array<(e: ReturnType<typeof createFeedbackEvent<"delivered", "sms">>) => void> = [
      (e) => {
        e.requestId = "other";
      },
      (e) => {
        e.identityMap.phone[0].id = "+14155550199";
      },
      (e) => {
        (e as unknown as Record<string, unknown>).extra = 1;
      },
      (e) => {
        e.messageDeliveryFeedback.offers = { nested: { value: 1 } };
      },
    ];
    for (const change of changes) {
      const event = createFeedbackEvent(input);
      change(event);
      expect(unchangedBuiltJson(event)).toBeUndefined();
    }
  });

  it("gives nothing, without throwing, for an event changed into something JSON cannot hold", () => {
    const cyclic = createFeedbackEvent(input);
    (cyclic as unknown as Record<string, unknown>).self = cyclic;
    const bigint = createFeedbackEvent(input);
    (bigint.messageDeliveryFeedback as { retryCount: unknown }).retryCount = 1n;
    expect(unchangedBuiltJson(cyclic)).toBeUndefined();
    expect(unchangedBuiltJson(bigint)).toBeUndefined();
  });
});
