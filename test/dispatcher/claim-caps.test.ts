import { describe, expect, it } from "vitest";
import { createDispatcher, type DispatcherOptions } from "../../src/dispatcher/index.js";
import type { ClaimQuery, Settlement, Storage } from "../../src/storage/storage.js";
import { createRecordingTransport } from "../../src/testing/recording-transport.js";
import { CAMPAIGN, eventInput, type Harness, SANDBOX, setup, until } from "./helpers.js";

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(30, "0")}`);

/** The storage, counting claims and hand-backs (an untried claim settled back to `pending`, due at once). */
function countingStorage(storage: Storage) {
  const counts = { handBacks: 0, claims: [] as ClaimQuery[] };
  const proxy = new Proxy(storage, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === "settleDelivery") {
        return (id: string, token: string, s: Settlement) => {
          if (s.next.status === "pending" && s.next.retryInMs === 0) counts.handBacks += 1;
          return target.settleDelivery(id, token, s);
        };
      }
      if (prop === "claimDeliveries") {
        return (query: ClaimQuery) => {
          counts.claims.push(structuredClone(query));
          return target.claimDeliveries(query);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { storage: proxy, counts };
}

/** A second dispatcher over the harness's storage (wrapped) and clock; the harness's own one stays unstarted. */
function countedDispatcher(h: Harness, options: Partial<DispatcherOptions>) {
  const { storage, counts } = countingStorage(h.storage);
  const dispatcher = createDispatcher({
    storage,
    clock: h.clock,
    logger: h.logger,
    retry: { jitter: 0 },
    pollIntervalMs: 5,
    ...options,
  });
  return { dispatcher, counts };
}

describe("worker claims only what it can start (no hand-backs)", () => {
  it("one endpoint, global 16, per-endpoint 4: 200 deliveries, each delivered once, none handed back", async () => {
    let running = 0;
    let peak = 0;
    let sent = 0;
    const transport = createRecordingTransport(async () => {
      running += 1;
      peak = Math.max(peak, running);
      // Uneven latencies, so claims also happen while the endpoint is partly busy (settles that
      // complete together share one commit and would otherwise free the endpoint all at once).
      await new Promise((resolve) => setTimeout(resolve, [1, 3, 6, 10][sent++ % 4]));
      running -= 1;
      return { status: 204 };
    });
    const h = await setup();
    await h.dispatcher.publishMany(ids(200, "r").map((requestId) => eventInput({ requestId })));
    const { dispatcher, counts } = countedDispatcher(h, { transport, concurrency: { global: 16, perEndpoint: 4 } });
    dispatcher.start();
    await until(
      async () => (await dispatcher.deliveries.list({ status: "delivered", limit: 500 })).items.length === 200,
      20_000,
    );
    await dispatcher.stop();

    expect(counts.handBacks).toBe(0);
    expect(peak).toBeLessThanOrEqual(4);
    const perId = new Map<string, number>();
    for (const r of transport.requests)
      perId.set(r.headers["webhook-id"]!, (perId.get(r.headers["webhook-id"]!) ?? 0) + 1);
    expect(perId.size).toBe(200);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    // Every claim carried the caps: the endpoint's limit, and its remaining room while busy.
    expect(counts.claims.every((q) => q.perConfigLimit === 4)).toBe(true);
    expect(counts.claims.some((q) => Object.values(q.configLimits ?? {}).some((n) => n > 0 && n < 4))).toBe(true);
  }, 30_000);

  it("does not starve an endpoint whose deliveries sit behind another endpoint's deep backlog", async () => {
    const h = await setup();
    const other = await h.registry.create({
      orgId: "otherOrg",
      sandbox: SANDBOX,
      name: "Quiet",
      channels: ["email"],
      url: "https://quiet.example.com/hook",
      auth: { type: "none" },
    });
    await h.registry.enableCampaign({ orgId: "otherOrg", sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
    await h.dispatcher.publishMany(ids(400, "a").map((requestId) => eventInput({ requestId })));
    await h.dispatcher.publishMany(ids(10, "b").map((requestId) => eventInput({ requestId, imsOrg: "otherOrg" })));
    // Each answer takes 1 ms of real time and 20 ms of the manual clock (the poll interval is 5 ms).
    const transport = createRecordingTransport(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      h.clock.advance(20);
      return { status: 204 };
    });
    const { dispatcher, counts } = countedDispatcher(h, { transport, concurrency: { global: 16, perEndpoint: 4 } });
    dispatcher.start();
    const delivered = async (configId: string) =>
      (await dispatcher.deliveries.list({ configId, status: "delivered", limit: 500 })).items.length;
    await until(async () => (await delivered(other.id)) === 10, 20_000);
    const busyDelivered = await delivered(h.config.id);
    await dispatcher.stop();
    expect(busyDelivered).toBeLessThan(100);
    expect(counts.handBacks).toBe(0);
  }, 30_000);

  it("caps a rate-limited endpoint's claim by its tokens, so the rate limit hands nothing back", async () => {
    const h = await setup();
    await h.dispatcher.publishMany(ids(12, "r").map((requestId) => eventInput({ requestId })));
    const { dispatcher, counts } = countedDispatcher(h, {
      transport: createRecordingTransport(),
      concurrency: { global: 16, perEndpoint: 10, perEndpointPerSecond: 3 },
    });
    expect(await dispatcher.runOnce()).toBe(3);
    h.clock.advance(400);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(counts.claims.at(-1)).toMatchObject({ perConfigLimit: 3, configLimits: { [h.config.id]: 1 } });
    expect(counts.handBacks).toBe(0);
  });

  it("excludes an endpoint with no room left instead of claiming its deliveries", async () => {
    // Attempts that hang until the stop aborts them.
    const transport = createRecordingTransport(
      (request) => new Promise((_resolve, reject) => request.signal?.addEventListener("abort", reject)),
    );
    const h = await setup();
    await h.dispatcher.publishMany(ids(6, "r").map((requestId) => eventInput({ requestId })));
    const { dispatcher, counts } = countedDispatcher(h, { transport, concurrency: { global: 16, perEndpoint: 2 } });
    dispatcher.start();
    await until(() => transport.requests.length === 2);
    await until(() => counts.claims.length >= 3);
    expect(counts.claims.at(-1)!.excludeConfigIds).toContain(h.config.id);
    expect(counts.handBacks).toBe(0);
    await dispatcher.stop({ timeoutMs: 10 });
  });
});
