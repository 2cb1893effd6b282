import { describe, expect, it } from "vitest";
import type { HookEvents } from "../../src/dispatcher/index.js";
import { eventInput, setup } from "./helpers.js";

const requestIds = (n: number) => Array.from({ length: n }, (_, i) => `request-${String(i).padStart(24, "0")}`);

describe("circuit breaker and auto-disable", () => {
  it("pauses an endpoint after N consecutive failures; its queue waits, then one probe runs", async () => {
    const paused: Array<HookEvents["onEndpointPaused"]> = [];
    const h = await setup({
      circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
      concurrency: { global: 10, perEndpoint: 10 },
      retry: { jitter: 0, schedule: [1_000, 1_000, 1_000] },
      hooks: { onEndpointPaused: (e) => void paused.push(e) },
    });
    h.transport.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    await h.dispatcher.publishMany(requestIds(3).map((requestId) => eventInput({ requestId })));
    expect(await h.dispatcher.runOnce()).toBe(3);
    expect(paused).toEqual([
      { configId: h.config.id, pausedUntil: new Date(h.clock.now() + 60_000), consecutiveFailures: 3 },
    ]);

    await h.dispatcher.publishMany(requestIds(5).map((requestId) => eventInput({ requestId: `x${requestId}` })));
    h.clock.advance(59_999);
    expect(await h.dispatcher.runOnce()).toBe(0);
    expect(h.transport.requests).toHaveLength(3);
    expect((await h.dispatcher.stats())[0]).toMatchObject({ pending: 8, consecutiveFailures: 3 });

    h.clock.advance(1);
    h.transport.enqueue({ status: 500 });
    expect(await h.dispatcher.runOnce()).toBe(1);
    expect(paused).toHaveLength(2);
    h.clock.advance(60_000);
    expect(await h.dispatcher.runOnce()).toBe(1);
    expect(await h.dispatcher.runOnce()).toBe(7);
    expect((await h.dispatcher.deliveries.list({ status: "delivered" })).items).toHaveLength(8);
  });

  it("disables the webhook after a long outage and holds its deliveries until resumed", async () => {
    const disabled: Array<HookEvents["onWebhookDisabled"]> = [];
    const h = await setup({
      circuitBreaker: { failureThreshold: 100, disableAfterMs: 10_000 },
      retry: { jitter: 0, schedule: [6_000, 6_000, 6_000] },
      hooks: { onWebhookDisabled: (e) => void disabled.push(e) },
    });
    h.transport.enqueue({ status: 502 }, { status: 502 }, { status: 502 });
    const result = await h.dispatcher.publish(eventInput());
    for (let i = 0; i < 3; i++) {
      await h.dispatcher.runOnce();
      h.clock.advance(6_000);
    }
    expect(disabled).toEqual([{ configId: h.config.id, reason: "outage" }]);
    expect(h.transport.requests).toHaveLength(3);
    expect(await h.dispatcher.runOnce()).toBe(0);
    expect((await h.dispatcher.stats())[0]).toMatchObject({ suspendedReason: "outage", pending: 1 });

    await h.dispatcher.resumeWebhook(h.config.id);
    expect(await h.dispatcher.runOnce()).toBe(1);
    expect(await h.dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId)).toMatchObject({
      status: "delivered",
    });
  });

  it("disables the webhook on 410 Gone, holds new publishes, and resumes them when re-enabled", async () => {
    const disabled: Array<HookEvents["onWebhookDisabled"]> = [];
    const h = await setup({ hooks: { onWebhookDisabled: (e) => void disabled.push(e) } });
    h.transport.enqueue({ status: 410 });
    await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    expect(disabled).toEqual([{ configId: h.config.id, reason: "gone" }]);
    expect(await h.dispatcher.publish(eventInput({ requestId: "held-request-0000000000000000000" }))).toMatchObject({
      status: "enqueued",
    });
    h.clock.advance(3_600_000);
    expect(await h.dispatcher.runOnce()).toBe(0);
    await h.dispatcher.resumeWebhook(h.config.id);
    expect(await h.dispatcher.runOnce()).toBe(2);
    expect((await h.dispatcher.deliveries.list({ status: "delivered" })).items).toHaveLength(2);
  });

  it("dead-letters held deliveries past the maximum age (maintenance) and fires onDead", async () => {
    const dead: Array<HookEvents["onDead"]> = [];
    const h = await setup({
      retry: { jitter: 0, maxAgeMs: 3_600_000 },
      retention: { intervalMs: 1000 },
      hooks: { onDead: (e) => void dead.push(e) },
    });
    await h.storage.suspendEndpoint(h.config.id, "gone");
    const result = await h.dispatcher.publish(eventInput());
    const deliveryId = (result as { deliveryId: string }).deliveryId;
    h.clock.advance(3_600_000);
    await h.dispatcher.runOnce();
    expect(await h.dispatcher.deliveries.get(deliveryId)).toMatchObject({ status: "dead", deadReason: "max_age" });
    expect(dead).toEqual([
      {
        reason: "max_age",
        delivery: expect.objectContaining({ id: deliveryId, configId: h.config.id, attempts: 0 }),
      },
    ]);
    expect(dead[0]!.delivery).not.toHaveProperty("body");
  });

  it("an admin-disabled webhook skips publishes instead of holding them", async () => {
    const h = await setup({}, { enabled: false });
    expect(await h.dispatcher.publish(eventInput())).toEqual({ status: "skipped", reason: "disabled" });
  });
});
