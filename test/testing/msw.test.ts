import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createReceiver } from "../../src/receiver/index.js";
import { createTestEvent, signTestPayload, TEST_WEBHOOK_URL, testKeys } from "../../src/testing/index.js";
import { captureFeedbackRequests, feedbackWebhookHandlers } from "../../src/testing/msw.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Stands for a user's own code that posts feedback events with fetch. */
async function notify(event: object, key = testKeys.hs256): Promise<number> {
  const { url, method, headers, body } = await signTestPayload(event, { key });
  return (await fetch(url, { method, headers, body })).status;
}

describe("feedbackWebhookHandlers", () => {
  it("answers fetch deliveries exactly as the receiver does", async () => {
    const sent = vi.fn();
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth }).on("sent", sent);
    server.use(...feedbackWebhookHandlers(TEST_WEBHOOK_URL, receiver));
    expect(await notify(createTestEvent("sent"))).toBe(200);
    expect(await notify(createTestEvent("sent"), testKeys.es256)).toBe(401);
    expect(sent).toHaveBeenCalledOnce();
  });
});

describe("captureFeedbackRequests", () => {
  it("records every request and the events the receiver accepted", async () => {
    const capture = captureFeedbackRequests(TEST_WEBHOOK_URL, { auth: testKeys.hs256.receiverAuth });
    server.use(...capture.handlers);
    const event = createTestEvent("bounce", { channel: "sms" });
    expect(await notify(event)).toBe(200);
    expect(await notify(event, testKeys.es256)).toBe(401);
    expect(capture.events).toEqual([event]);
    expect(capture.deliveries.map((d) => d.status)).toEqual([200, 401]);
    expect(JSON.parse(capture.deliveries[0]?.body ?? "")).toEqual(event);
    expect(capture.deliveries[0]?.headers.get("webhook-attempt")).toBe("1");
    capture.clear();
    expect(capture.deliveries).toEqual([]);
  });
});
