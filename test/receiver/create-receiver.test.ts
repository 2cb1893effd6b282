import { describe, expect, it, vi } from "vitest";
import { UnsupportedMediaTypeError } from "../../src/errors.js";
import { createReceiver, type ReceiverOptions } from "../../src/receiver/index.js";
import { testKeys } from "../../src/testing/index.js";
import { fixtureWith, loadFixture } from "../fixtures/index.js";
import { toRequest, VALID_BODY, validPayload, validRequest, withHeaders } from "./valid-delivery.js";

function receiverWith(overrides: Partial<ReceiverOptions> = {}) {
  const onError = vi.fn();
  const bounce = vi.fn();
  const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, onError, ...overrides }).on("bounce", bounce);
  return { receiver, onError, bounce };
}

async function problem(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as Record<string, unknown>;
}

describe("receiver.handle: the valid delivery", () => {
  it("answers 200 and hands the typed event and the delivery context to the handler", async () => {
    const { receiver, bounce } = receiverWith();
    const response = await receiver.handle(await validRequest({ attempt: 3 }));
    expect(response.status).toBe(200);
    expect(bounce).toHaveBeenCalledOnce();
    const [event, context] = bounce.mock.calls[0] ?? [];
    expect(event).toEqual(loadFixture("email-bounce"));
    expect(context).toMatchObject({ deliveryId: "delivery-1", attempt: 3, claims: { iss: expect.any(String), jti: expect.any(String) } });
  });

  it("runs every matching handler, '*' included, in registration order; others are not called", async () => {
    const calls: string[] = [];
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth })
      .on("*", () => void calls.push("*"))
      .on("bounce", () => void calls.push("bounce-1"))
      .on("sent", () => void calls.push("sent"))
      .on(["bounce", "error"], () => void calls.push("bounce-or-error"));
    expect((await receiver.handle(await validRequest())).status).toBe(200);
    expect(calls).toEqual(["*", "bounce-1", "bounce-or-error"]);
  });

  it("accepts a content type with parameters", async () => {
    const { receiver } = receiverWith();
    const payload = withHeaders(await validPayload(), { "content-type": "Application/JSON; charset=utf-8" });
    expect((await receiver.handle(toRequest(payload))).status).toBe(200);
  });
});

describe("receiver.handle: one change to the valid delivery", () => {
  it("405 with Allow: POST for a GET", async () => {
    const { receiver, bounce } = receiverWith();
    const response = await receiver.handle(new Request((await validPayload()).url, { method: "GET" }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(bounce).not.toHaveBeenCalled();
  });

  it("415 for a non-JSON content type", async () => {
    const { receiver, onError } = receiverWith();
    const response = await receiver.handle(toRequest(withHeaders(await validPayload(), { "content-type": "text/plain" })));
    expect(response.status).toBe(415);
    expect(onError).toHaveBeenCalledWith(expect.any(UnsupportedMediaTypeError), { phase: "request", status: 415, deliveryId: "delivery-1" });
  });

  it("401 with a bare Bearer challenge without Authorization", async () => {
    const { receiver, bounce } = receiverWith();
    const response = await receiver.handle(toRequest(withHeaders(await validPayload(), { authorization: undefined })));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="feedback-webhooks"');
    expect(await problem(response)).toMatchObject({ reason: "missing", code: "ERR_VERIFICATION_FAILED" });
    expect(bounce).not.toHaveBeenCalled();
  });

  it("401 for a token signed with another key", async () => {
    const { receiver } = receiverWith();
    const response = await receiver.handle(await validRequest({ key: testKeys.es256 }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="feedback-webhooks", error="invalid_token"/);
  });

  it("401 body_mismatch when the body changed after signing", async () => {
    const { receiver } = receiverWith();
    const payload = await validPayload();
    const response = await receiver.handle(toRequest({ ...payload, body: payload.body.replace("Invalid Recipient", "Mailbox Full") }));
    expect(await problem(response)).toMatchObject({ status: 401, reason: "body_mismatch" });
  });

  it("401 expired for a token issued an hour ago", async () => {
    const { receiver } = receiverWith();
    const response = await receiver.handle(await validRequest({ timestamp: Math.floor(Date.now() / 1000) - 3600 }));
    expect(await problem(response)).toMatchObject({ status: 401, reason: "expired" });
  });

  it("400 for a malformed JSON body (validly signed), without echoing the body", async () => {
    const { receiver, bounce } = receiverWith();
    const response = await receiver.handle(await validRequest({}, '{"requestId": "secret-value",'));
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).not.toContain("secret-value");
    expect(bounce).not.toHaveBeenCalled();
  });

  it("422 listing every schema problem", async () => {
    const { receiver } = receiverWith();
    const body = JSON.stringify(fixtureWith("email-bounce", ["messageDeliveryFeedback", "retryCount"], -1));
    const response = await receiver.handle(await validRequest({}, body));
    expect(await problem(response)).toMatchObject({
      status: 422,
      issues: [{ path: "messageDeliveryFeedback.retryCount", message: expect.any(String) }],
    });
  });

  it("an unknown status goes to '*' handlers by default", async () => {
    const all = vi.fn();
    const { receiver, bounce } = receiverWith();
    receiver.on("*", all);
    const body = JSON.stringify(fixtureWith("email-bounce", ["messageDeliveryFeedback", "feedbackStatus", "value"], "opened"));
    expect((await receiver.handle(await validRequest({}, body))).status).toBe(200);
    expect(bounce).not.toHaveBeenCalled();
    expect(all.mock.calls[0]?.[0]).toMatchObject({ messageDeliveryFeedback: { feedbackStatus: { value: "opened" } } });
  });

  it("422 for an unknown status with unknownStatus: reject", async () => {
    const { receiver } = receiverWith({ unknownStatus: "reject" });
    const body = JSON.stringify(fixtureWith("email-bounce", ["messageDeliveryFeedback", "feedbackStatus", "value"], "opened"));
    expect((await receiver.handle(await validRequest({}, body))).status).toBe(422);
  });

  it("413 when the body is one byte over maxBodyBytes", async () => {
    const { receiver, bounce } = receiverWith({ maxBodyBytes: new TextEncoder().encode(VALID_BODY).byteLength - 1 });
    const response = await receiver.handle(await validRequest());
    expect(await problem(response)).toMatchObject({ status: 413 });
    expect(bounce).not.toHaveBeenCalled();
  });

  it("413 for a body over the limit behind a lying content-length", async () => {
    const { receiver } = receiverWith({ maxBodyBytes: 1024 });
    const payload = withHeaders(await validPayload({}, " ".repeat(2048)), { "content-length": "100" });
    expect((await receiver.handle(toRequest(payload))).status).toBe(413);
  });

  it("413 for a chunked body without content-length, reading no more than the limit + one chunk", async () => {
    const { receiver } = receiverWith({ maxBodyBytes: 1024 });
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 512;
        controller.enqueue(new Uint8Array(512).fill(0x20));
      },
    });
    const request = toRequest(await validPayload(), { body, duplex: "half" } as RequestInit);
    expect((await receiver.handle(request)).status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(1024 + 512 * 2);
  });

  it("500 when a handler throws, hiding its message; onError gets the error", async () => {
    const { receiver, onError } = receiverWith();
    const failure = new Error("database password is hunter2");
    receiver.on("bounce", () => {
      throw failure;
    });
    const response = await receiver.handle(await validRequest());
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("hunter2");
    expect(onError).toHaveBeenCalledWith(failure, { phase: "request", status: 500, deliveryId: "delivery-1" });
  });

  it("never puts the token in a problem body", async () => {
    const { receiver } = receiverWith();
    const payload = await validPayload();
    const token = payload.headers.authorization?.slice("Bearer ".length) ?? "";
    const response = await receiver.handle(toRequest({ ...payload, body: `${payload.body} ` }));
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(token.split(".")[2]);
  });
});
