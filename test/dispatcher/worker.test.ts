import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/errors.js";
import { createRecordingTransport } from "../../src/testing/recording-transport.js";
import type { TransportRequest } from "../../src/transport/index.js";
import { CAMPAIGN, eventInput, SANDBOX, setup, until } from "./helpers.js";

/** Answers when the caller's signal aborts, never otherwise: an attempt that hangs. */
function hang(request: TransportRequest): Promise<never> {
  return new Promise((_resolve, reject) => {
    request.signal?.addEventListener("abort", () => reject(new TransportError("aborted", "aborted")));
  });
}

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(30, "0")}`);

describe("worker", () => {
  it("moves created → active → stopping → stopped, and cannot restart", async () => {
    const h = await setup();
    expect(h.dispatcher.state).toBe("created");
    h.dispatcher.start();
    h.dispatcher.start();
    expect(h.dispatcher.state).toBe("active");
    await expect(h.dispatcher.runOnce()).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const stopped = h.dispatcher.stop();
    expect(h.dispatcher.state).toBe("stopping");
    expect(h.dispatcher.stop()).toBe(stopped);
    await stopped;
    expect(h.dispatcher.state).toBe("stopped");
    expect(() => h.dispatcher.start()).toThrow(expect.objectContaining({ code: "ERR_INVALID_STATE" }));
  });

  it("stops a dispatcher that never started", async () => {
    const h = await setup();
    await h.dispatcher.stop();
    expect(h.dispatcher.state).toBe("stopped");
  });

  it("delivers right after a publish, without waiting for the poll interval", async () => {
    const h = await setup({ pollIntervalMs: 60_000 });
    h.dispatcher.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await h.dispatcher.publish(eventInput());
    await until(() => h.transport.requests.length === 1);
    await h.dispatcher.stop();
  });

  it("drains attempts in flight on stop", async () => {
    let release: () => void = () => undefined;
    const transport = createRecordingTransport(
      () => new Promise((resolve) => (release = () => resolve({ status: 204 }))),
    );
    const h = await setup({ transport });
    await h.dispatcher.publish(eventInput());
    h.dispatcher.start();
    await until(() => transport.requests.length === 1);
    const stopped = h.dispatcher.stop({ timeoutMs: 5_000 });
    setTimeout(() => release(), 30);
    await stopped;
    expect((await h.dispatcher.deliveries.list({ status: "delivered" })).items).toHaveLength(1);
  });

  it("aborts attempts still running at the stop timeout and gives their claims back", async () => {
    const transport = createRecordingTransport(hang);
    const h = await setup({ transport });
    const result = await h.dispatcher.publish(eventInput());
    h.dispatcher.start();
    await until(() => transport.requests.length === 1);
    await h.dispatcher.stop({ timeoutMs: 20 });
    const delivery = await h.dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
    expect(delivery!.attemptLog[0]!.error).toBe("aborted");
    expect(await h.storage.getEndpointState(h.config.id)).toEqual({ configId: h.config.id, consecutiveFailures: 0 });
  });

  it("keeps one slow endpoint from starving the others (global and per-endpoint limits)", async () => {
    const transport = createRecordingTransport((req) => (req.url.includes("slow") ? hang(req) : { status: 200 }));
    const h = await setup(
      { transport, concurrency: { global: 4, perEndpoint: 2 } },
      { url: "https://slow.example.com/hook" },
    );
    const other = await h.registry.create({
      orgId: "otherOrg",
      sandbox: SANDBOX,
      name: "Fast",
      channels: ["email"],
      url: "https://fast.example.com/hook",
      auth: { type: "none" },
    });
    await h.registry.enableCampaign({ orgId: "otherOrg", sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
    await h.dispatcher.publishMany(ids(10, "s").map((requestId) => eventInput({ requestId })));
    await h.dispatcher.publishMany(ids(6, "f").map((requestId) => eventInput({ requestId, imsOrg: "otherOrg" })));
    h.dispatcher.start();
    await until(
      async () => (await h.dispatcher.deliveries.list({ configId: other.id, status: "delivered" })).items.length === 6,
    );
    const slow = transport.requests.filter((r) => r.url.includes("slow"));
    expect(slow).toHaveLength(2);
    expect((await h.storage.deliveryBacklog()).find((b) => b.configId === h.config.id)).toMatchObject({
      inFlight: 2,
      pending: 8,
    });
    await h.dispatcher.stop({ timeoutMs: 10 });
  });

  it("renews the lease of a long attempt so no other worker takes it", async () => {
    const transport = createRecordingTransport(hang);
    const h = await setup({ transport, timeoutMs: 50, leaseMs: 300 });
    await h.dispatcher.publish(eventInput());
    h.dispatcher.start();
    await until(() => transport.requests.length === 1);
    for (let i = 0; i < 3; i++) {
      h.clock.advance(200);
      // Real time for the renewal timer (every leaseMs / 3 = 100 ms) to fire on the moved clock.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 })).toEqual([]);
    }
    await h.dispatcher.stop({ timeoutMs: 10 });
  });

  it("recovers a delivery whose worker crashed (lease expiry) and fences the crashed worker", async () => {
    const h = await setup();
    const result = await h.dispatcher.publish(eventInput());
    const [crashed] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 60_000 });
    expect(await h.dispatcher.runOnce()).toBe(0);
    h.clock.advance(60_000);
    expect(await h.dispatcher.runOnce()).toBe(1);
    expect(
      await h.storage.settleDelivery(crashed!.id, crashed!.claimToken, { next: { status: "dead", reason: "late" } }),
    ).toBe(false);
    expect(await h.dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId)).toMatchObject({
      status: "delivered",
    });
  });

  it("limits attempts per second per endpoint", async () => {
    const h = await setup({ concurrency: { perEndpoint: 10, perEndpointPerSecond: 2 } });
    await h.dispatcher.publishMany(ids(5, "r").map((requestId) => eventInput({ requestId })));
    expect(await h.dispatcher.runOnce()).toBe(2);
    expect(await h.dispatcher.runOnce()).toBe(0);
    h.clock.advance(1_000);
    expect(await h.dispatcher.runOnce()).toBe(2);
    h.clock.advance(500);
    expect(await h.dispatcher.runOnce()).toBe(1);
  });

  it("prunes delivered deliveries after their retention", async () => {
    const h = await setup({ retention: { deliveredMs: 86_400_000, intervalMs: 1_000 } });
    await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    h.clock.advance(86_400_000);
    await h.dispatcher.runOnce();
    expect((await h.dispatcher.deliveries.list()).items).toEqual([]);
  });
});
