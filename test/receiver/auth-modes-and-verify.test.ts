import { describe, expect, it, vi } from "vitest";
import { PayloadTooLargeError, VerificationError } from "../../src/errors.js";
import { createReceiver, type ReceiverOptions } from "../../src/receiver/index.js";
import { testKeys } from "../../src/testing/index.js";
import { loadFixture } from "../fixtures/index.js";
import { toRequest, validPayload, validRequest, withHeaders } from "./valid-delivery.js";

function receiverWith(overrides: Partial<ReceiverOptions> = {}) {
  const onError = vi.fn();
  const bounce = vi.fn();
  const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, onError, ...overrides }).on("bounce", bounce);
  return { receiver, onError, bounce };
}

describe("receiver.handle with other auth modes", () => {
  it("auth none accepts an unsigned delivery", async () => {
    const { receiver } = receiverWith({ auth: testKeys.none.receiverAuth });
    expect((await receiver.handle(await validRequest({ key: testKeys.none }))).status).toBe(200);
  });

  it("standard-webhooks accepts a signed delivery and challenges a bad signature", async () => {
    const { receiver } = receiverWith({ auth: testKeys.standardWebhooks.receiverAuth });
    expect((await receiver.handle(await validRequest({ key: testKeys.standardWebhooks }))).status).toBe(200);
    const payload = withHeaders(await validPayload({ key: testKeys.standardWebhooks }), { "webhook-signature": "v1,AAAA" });
    const response = await receiver.handle(toRequest(payload));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^WebhookSignature realm="feedback-webhooks", error=/);
  });

  it("jwt with a public key (ES256) accepts a delivery signed by its private key", async () => {
    const { receiver } = receiverWith({ auth: testKeys.es256.receiverAuth });
    expect((await receiver.handle(await validRequest({ key: testKeys.es256 }))).status).toBe(200);
  });
});

describe("receiver.verify", () => {
  it("returns the typed event from Node-style headers and a string body", async () => {
    const { receiver } = receiverWith();
    const { headers, body } = await validPayload();
    expect(await receiver.verify({ headers, body })).toEqual(loadFixture("email-bounce"));
  });

  it("accepts the body as bytes", async () => {
    const { receiver } = receiverWith();
    const { headers, body } = await validPayload();
    expect(await receiver.verify({ headers: new Headers(headers), body: new TextEncoder().encode(body) })).toMatchObject({ channel: "email" });
  });

  it("throws the typed errors", async () => {
    const { receiver } = receiverWith({ maxBodyBytes: 100 });
    const { headers, body } = await validPayload();
    await expect(receiver.verify({ headers, body })).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(receiverWith().receiver.verify({ headers, body: `${body} ` })).rejects.toBeInstanceOf(VerificationError);
  });
});
