import { describe, expect, it, vi } from "vitest";
import { PayloadValidationError } from "../../src/errors.js";
import { createReceiver } from "../../src/receiver/index.js";
import { CHANNELS, FEEDBACK_STATUSES, parseFeedbackEvent } from "../../src/schemas/index.js";
import {
  createTestEvent,
  signTestPayload,
  signTestRequest,
  TEST_WEBHOOK_URL,
  testKeys,
} from "../../src/testing/index.js";

describe("createTestEvent", () => {
  it.each(FEEDBACK_STATUSES.flatMap((status) => CHANNELS.map((channel) => [status, channel] as const)))(
    "builds a valid %s event on %s that the receiver parses back unchanged",
    (status, channel) => {
      const event = createTestEvent(status, { channel });
      expect(event).toMatchObject({ channel, messageDeliveryFeedback: { feedbackStatus: { value: status } } });
      expect(parseFeedbackEvent(JSON.stringify(event))).toEqual(event);
    },
  );

  it("applies overrides field by field", () => {
    const event = createTestEvent("delay", { requestId: "req-1", messageDeliveryFeedback: { retryCount: 2 } });
    expect(event.requestId).toBe("req-1");
    expect(event.messageDeliveryFeedback.retryCount).toBe(2);
    expect(event.messageDeliveryFeedback.messageFailure).toMatchObject({ category: "async" });
  });

  it("refuses an override the sender would never send", () => {
    expect(() => createTestEvent("sent", { messageDeliveryFeedback: { retryCount: -1 } })).toThrow(PayloadValidationError);
  });
});

describe("signTestRequest and signTestPayload", () => {
  const keys = Object.keys(testKeys) as (keyof typeof testKeys)[];
  const matrix = keys.flatMap((key) => FEEDBACK_STATUSES.flatMap((status) => CHANNELS.map((channel) => [key, status, channel] as const)));

  it.each(matrix)("%s: the receiver accepts a signed %s event on %s", async (key, status, channel) => {
    const handler = vi.fn();
    const receiver = createReceiver({ auth: testKeys[key].receiverAuth }).on(status, handler);
    const event = createTestEvent(status, { channel });
    const response = await receiver.handle(await signTestRequest(event, { key: testKeys[key] }));
    expect(response.status).toBe(200);
    expect(handler.mock.calls[0]?.[0]).toEqual(event);
  });

  it("sets the dispatcher's headers; custom headers never replace them", async () => {
    const payload = await signTestPayload(createTestEvent("sent"), {
      key: testKeys.hs256,
      deliveryId: "d-1",
      timestamp: 1_700_000_000,
      attempt: 2,
      headers: { "X-Tenant": "acme", "content-type": "text/plain" },
    });
    expect(payload).toMatchObject({ method: "POST", url: TEST_WEBHOOK_URL });
    expect(payload.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": expect.stringMatching(/^feedback-webhooks\//),
      "webhook-id": "d-1",
      "webhook-timestamp": "1700000000",
      "webhook-attempt": "2",
      "x-tenant": "acme",
      authorization: expect.stringMatching(/^Bearer /),
    });
  });

  it("gives Node-friendly data that receiver.verify accepts", async () => {
    const event = createTestEvent("bounce", { channel: "sms" });
    const { headers, body } = await signTestPayload(event, { key: testKeys.es256 });
    expect(await createReceiver({ auth: testKeys.es256.receiverAuth }).verify({ headers, body })).toEqual(event);
  });

  it("signs a string body verbatim", async () => {
    const payload = await signTestPayload("not json", { key: testKeys.hs256 });
    expect(payload.body).toBe("not json");
    const response = await createReceiver({ auth: testKeys.hs256.receiverAuth }).handle(await signTestRequest("not json", { key: testKeys.hs256 }));
    expect(response.status).toBe(400);
  });
});
