/**
 * A unit test of the receiving side (examples/feedback-receiver.ts), written with the test kit:
 * valid signed requests from `createTestEvent` + `signTestRequest`, ready keys from `testKeys`,
 * and no server and no network (`receiver.handle(request)` is called directly). Copy it next to
 * your own tests; test/examples runs this one.
 *
 * In your project: import { createTestEvent, signTestRequest, testKeys } from "feedback-webhooks/testing".
 */
import { describe, expect, it } from "vitest";
import { createTestEvent, signTestRequest, testKeys } from "../src/testing/index.js";
import { createFeedbackReceiver, type FeedbackApp } from "./feedback-receiver.js";

function appSpy(): FeedbackApp & { suppressed: string[]; lines: string[] } {
  const suppressed: string[] = [];
  const lines: string[] = [];
  return { suppressed, lines, suppress: (address) => suppressed.push(address), log: (line) => lines.push(line) };
}

describe("our feedback receiver", () => {
  it("suppresses the recipient of a hard bounce and answers 200", async () => {
    const app = appSpy();
    const receiver = createFeedbackReceiver(testKeys.hs256.receiverAuth, app);
    const event = createTestEvent("bounce", {
      identityMap: { email: [{ id: "john.doe@luma.com", primary: true }] },
      messageDeliveryFeedback: {
        messageFailure: { category: "async", type: "Hard", code: "10", reason: "Invalid Recipient" },
      },
    });
    const response = await receiver.handle(await signTestRequest(event, { key: testKeys.hs256 }));
    expect(response.status).toBe(200);
    expect(app.suppressed).toEqual(["john.doe@luma.com"]);
  });

  it("keeps a soft-bounced recipient", async () => {
    const app = appSpy();
    const receiver = createFeedbackReceiver(testKeys.hs256.receiverAuth, app);
    const event = createTestEvent("bounce", {
      messageDeliveryFeedback: {
        messageFailure: { category: "async", type: "Soft", code: "22", reason: "Mailbox Full" },
      },
    });
    expect((await receiver.handle(await signTestRequest(event, { key: testKeys.hs256 }))).status).toBe(200);
    expect(app.suppressed).toEqual([]);
  });

  it("logs every status of both channels, SMS included", async () => {
    const app = appSpy();
    const receiver = createFeedbackReceiver(testKeys.es256.receiverAuth, app);
    const event = createTestEvent("delivered", { channel: "sms" });
    expect((await receiver.handle(await signTestRequest(event, { key: testKeys.es256 }))).status).toBe(200);
    expect(app.lines).toEqual([expect.stringMatching(/^delivered sms request \S+ \(delivery \S+, attempt 1\)$/)]);
  });

  it("refuses a request signed with another key (401) and runs no handler", async () => {
    const app = appSpy();
    const receiver = createFeedbackReceiver(testKeys.hs256.receiverAuth, app);
    const request = await signTestRequest(createTestEvent("bounce"), { key: testKeys.es256 });
    expect((await receiver.handle(request)).status).toBe(401);
    expect(app.lines).toEqual([]);
  });

  it("processes a retried delivery (same webhook-id) once", async () => {
    const app = appSpy();
    const receiver = createFeedbackReceiver(testKeys.hs256.receiverAuth, app);
    const event = createTestEvent("sent");
    const first = await signTestRequest(event, { key: testKeys.hs256, deliveryId: "d-1", attempt: 1 });
    const retry = await signTestRequest(event, { key: testKeys.hs256, deliveryId: "d-1", attempt: 2 });
    expect((await receiver.handle(first)).status).toBe(200);
    expect((await receiver.handle(retry)).status).toBe(200);
    expect(app.lines).toHaveLength(1);
  });
});
