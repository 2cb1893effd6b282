import { describe, expect, it } from "vitest";
import { ConfigValidationError } from "../../src/errors.js";
import { createDispatcher, type HookEvents } from "../../src/dispatcher/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { eventInput, setup } from "./helpers.js";

describe("hooks", () => {
  it("reports each attempt and the outcome, in order", async () => {
    const seen: string[] = [];
    const h = await setup({
      hooks: {
        onAttempt: [({ attempt }) => void seen.push(`attempt ${attempt.attempt} ${attempt.statusCode}`)],
        onRetryScheduled: ({ retryInMs }) => void seen.push(`retry in ${retryInMs}`),
        onDelivered: async ({ delivery }) => void seen.push(`delivered after ${delivery.attempts}`),
      },
    });
    h.transport.enqueue({ status: 500 });
    await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    h.clock.advance(5_000);
    await h.dispatcher.runOnce();
    expect(seen).toEqual(["attempt 1 500", "retry in 5000", "attempt 2 200", "delivered after 2"]);
  });

  it("sends a hook's failure to onError and the logger; delivery goes on", async () => {
    const errors: Array<HookEvents["onError"]> = [];
    const h = await setup({
      hooks: {
        onDelivered: [
          () => {
            throw new Error("hook bug for john.doe@luma.com");
          },
          () => Promise.reject(new Error("async hook bug")),
        ],
        onError: (e) => {
          errors.push(e);
          throw new Error("onError itself fails");
        },
      },
    });
    await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((e) => e.operation)).toEqual(["hook onDelivered", "hook onDelivered"]);
    // Two hook failures, each logged, then each onError failure logged too.
    expect(h.logger.calls.filter((c) => c.level === "error")).toHaveLength(4);
    expect((await h.dispatcher.deliveries.list({ status: "delivered" })).items).toHaveLength(1);
  });

  it("reports a signing failure through onError and retries, logging no secret or address", async () => {
    const errors: Array<HookEvents["onError"]> = [];
    const h = await setup(
      {
        keyResolver: () => {
          throw new Error("KMS refused key for john.doe@luma.com (token eyJhbGciOi.eyJzdWIi.sig)");
        },
        hooks: { onError: (e) => void errors.push(e) },
      },
      {
        auth: {
          type: "jwt",
          algorithm: "HS256",
          issuer: "https://platform.example.com",
          keys: [{ kid: "k1", ref: "KMS_KEY" }],
        },
      },
    );
    const result = await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    const delivery = await h.dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
    expect(delivery!.attemptLog[0]!.error).toMatch(/^signing failed: /);
    expect(delivery!.attemptLog[0]!.error).not.toContain("john.doe");
    expect(errors.map((e) => e.operation)).toEqual(["sign"]);
    expect(h.transport.requests).toEqual([]);
    expect(JSON.stringify(h.logger.calls)).not.toMatch(/john\.doe|eyJ/);
  });

  it("reports storage failures of the worker through onError instead of throwing", async () => {
    const errors: Array<HookEvents["onError"]> = [];
    const h = await setup({ hooks: { onError: (e) => void errors.push(e) } });
    await h.dispatcher.publish(eventInput());
    h.storage.settleDelivery = () => Promise.reject(new Error("disk full"));
    h.storage.settleDeliveries = () => Promise.reject(new Error("disk full"));
    await h.dispatcher.runOnce();
    expect(errors.map((e) => [e.operation, (e.error as Error).message])).toEqual([["attempt", "disk full"]]);
  });

  it("fires hooks only after a batch of settles committed; a failed batch leaves its deliveries leased", async () => {
    const errors: Array<HookEvents["onError"]> = [];
    const delivered: string[] = [];
    const h = await setup({
      hooks: { onError: (e) => void errors.push(e), onDelivered: (e) => void delivered.push(e.delivery.id) },
    });
    await h.dispatcher.publishMany([eventInput(), eventInput({ requestId: "second-request-id-000000000000000" })]);
    const settleMany = h.storage.settleDeliveries!.bind(h.storage);
    const batches: number[] = [];
    h.storage.settleDeliveries = async (items) => {
      batches.push(items.length);
      // Nothing may be announced before the commit: no hook has fired while it runs.
      expect(delivered).toEqual([]);
      if (batches.length === 1) throw new Error("disk full");
      return settleMany(items);
    };
    expect(await h.dispatcher.runOnce()).toBe(2);
    expect(batches).toEqual([2]);
    expect(delivered).toEqual([]);
    expect(errors.map((e) => [e.operation, (e.error as Error).message])).toEqual([
      ["attempt", "disk full"],
      ["attempt", "disk full"],
    ]);
    const leased = await h.dispatcher.deliveries.list({ status: "in_flight", limit: 10 });
    expect(leased.items).toHaveLength(2);
  });
});

describe("stats", () => {
  it("reports backlog, oldest due age, success rate and latency per endpoint", async () => {
    const h = await setup();
    h.transport.enqueue({ status: 500 });
    await h.dispatcher.publishMany([eventInput(), eventInput({ requestId: "second-request-id-000000000000000" })]);
    await h.dispatcher.runOnce();
    await h.dispatcher.publish(eventInput({ requestId: "third-request-id-0000000000000000" }));
    h.clock.advance(10_000);
    const [stats] = await h.dispatcher.stats();
    expect(stats).toMatchObject({
      configId: h.config.id,
      pending: 2,
      inFlight: 0,
      dead: 0,
      oldestDueAgeMs: 10_000,
      successRate: 0.5,
      consecutiveFailures: 0,
    });
    expect(stats!.latencyP50Ms).toBeGreaterThanOrEqual(0);
    expect(stats!.latencyP99Ms).toBeGreaterThanOrEqual(stats!.latencyP50Ms!);
  });
});

describe("options", () => {
  it("are validated once, listing every problem", () => {
    let error: unknown;
    try {
      createDispatcher({
        storage: memoryStorage(),
        timeoutMs: 1000,
        leaseMs: 10,
        pollIntervalMs: 0,
        concurrency: { global: 0, perEndpoint: 1.5 },
        retry: { jitter: 2, schedule: [1000, -1] },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).issues.map((i) => i.path).sort()).toEqual(
      [
        "concurrency.global",
        "concurrency.perEndpoint",
        "leaseMs",
        "pollIntervalMs",
        "retry.jitter",
        "retry.schedule",
      ].sort(),
    );
  });

  it("refuse something that is not a storage", () => {
    expect(() => createDispatcher({ storage: {} as never })).toThrow(/storage: must implement the Storage port/);
  });
});
