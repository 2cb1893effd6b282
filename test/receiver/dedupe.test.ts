import { describe, expect, it, vi } from "vitest";
import { createMemoryDedupeStore, createReceiver, type DedupeStore } from "../../src/receiver/index.js";
import { testKeys } from "../../src/testing/index.js";
import { toRequest, validPayload, validRequest, withHeaders } from "./valid-delivery.js";

function receiverWith(store: DedupeStore = createMemoryDedupeStore()) {
  const bounce = vi.fn();
  const onError = vi.fn();
  const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, dedupe: { store }, onError }).on("bounce", bounce);
  return { receiver, bounce, onError };
}

describe("dedupe: replay protection and retries", () => {
  it("refuses a replayed token with 401 reason replay", async () => {
    const { receiver, bounce } = receiverWith();
    const payload = await validPayload();
    expect((await receiver.handle(toRequest(payload))).status).toBe(200);
    const replay = await receiver.handle(toRequest(payload));
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ reason: "replay", code: "ERR_REPLAYED" });
    expect(replay.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(bounce).toHaveBeenCalledOnce();
  });

  it("answers a retry (fresh token, same webhook-id and body) after success with 200, without calling handlers again", async () => {
    const { receiver, bounce } = receiverWith();
    expect((await receiver.handle(await validRequest({ attempt: 1 }))).status).toBe(200);
    expect((await receiver.handle(await validRequest({ attempt: 2 }))).status).toBe(200);
    expect(bounce).toHaveBeenCalledOnce();
  });

  it("processes the retry that follows a 500 again", async () => {
    const { receiver, bounce } = receiverWith();
    bounce.mockRejectedValueOnce(new Error("database down"));
    expect((await receiver.handle(await validRequest({ attempt: 1 }))).status).toBe(500);
    expect((await receiver.handle(await validRequest({ attempt: 2 }))).status).toBe(200);
    expect((await receiver.handle(await validRequest({ attempt: 3 }))).status).toBe(200);
    expect(bounce).toHaveBeenCalledTimes(2);
  });

  it("processes a different event under the same webhook-id (the body is part of the key)", async () => {
    const { receiver, bounce } = receiverWith();
    const payload = await validPayload();
    expect((await receiver.handle(toRequest(payload))).status).toBe(200);
    const other = await validPayload({}, payload.body.replace('"retryCount": 0', '"retryCount": 1'));
    expect((await receiver.handle(toRequest(other))).status).toBe(200);
    expect(bounce).toHaveBeenCalledTimes(2);
  });

  it("keeps a jti until the token's exp plus the clock tolerance, and a delivery for 3 days", async () => {
    const store = createMemoryDedupeStore();
    const add = vi.fn(store.add);
    const { receiver } = receiverWith({ add, has: store.has });
    const before = Date.now();
    const timestamp = Math.floor(before / 1000);
    await receiver.handle(await validRequest({ timestamp }));
    const [[jtiKey, jtiExpiry], [deliveryKey, deliveryExpiry]] = add.mock.calls as [[string, number], [string, number]];
    expect(jtiKey).toMatch(/^jti:/);
    expect(jtiExpiry).toBe((timestamp + 300 + 30) * 1000);
    expect(deliveryKey).toMatch(/^delivery:delivery-1:[0-9a-f]{64}$/);
    expect(deliveryExpiry).toBeGreaterThanOrEqual(before + 3 * 86_400_000);
  });

  it("answers 200 when recording the processed delivery fails, and reports it in the background", async () => {
    const store = createMemoryDedupeStore();
    const failure = new Error("redis down");
    const { receiver, onError } = receiverWith({
      has: store.has,
      add: (key, expiresAt) => (key.startsWith("delivery:") ? Promise.reject(failure) : store.add(key, expiresAt)),
    });
    expect((await receiver.handle(await validRequest())).status).toBe(200);
    expect(onError).toHaveBeenCalledWith(failure, { phase: "background", status: undefined, deliveryId: "delivery-1" });
  });

  it("answers 500 (the sender retries) when the store cannot be read", async () => {
    const { receiver, bounce } = receiverWith({ add: async () => true, has: () => Promise.reject(new Error("redis down")) });
    expect((await receiver.handle(await validRequest())).status).toBe(500);
    expect(bounce).not.toHaveBeenCalled();
  });

  it("without a webhook-id only the token is deduplicated", async () => {
    const { receiver, bounce } = receiverWith();
    for (const attempt of [1, 2]) {
      const payload = withHeaders(await validPayload({ attempt }), { "webhook-id": undefined });
      expect((await receiver.handle(toRequest(payload))).status).toBe(200);
    }
    expect(bounce).toHaveBeenCalledTimes(2);
  });

  it("receiver.verify refuses a replayed token too", async () => {
    const { receiver } = receiverWith();
    const { headers, body } = await validPayload();
    await receiver.verify({ headers, body });
    await expect(receiver.verify({ headers, body })).rejects.toMatchObject({ code: "ERR_REPLAYED" });
  });
});
