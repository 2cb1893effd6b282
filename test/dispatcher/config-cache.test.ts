import { describe, expect, it, vi } from "vitest";
import type { WebhookConfig } from "../../src/config/webhook-config.js";
import { CONFIG_CACHE_SIZE, createConfigCache } from "../../src/dispatcher/config-cache.js";
import type { ClaimedDelivery } from "../../src/storage/storage.js";
import { eventInput, setup } from "./helpers.js";

const ID = "c0000000-0000-4000-8000-000000000001";
const config = (version: number, id = ID) =>
  ({ id, version, url: `https://hooks.example.com/v${version}` }) as WebhookConfig;

/** A registry whose stored configuration the test sets, counting reads. */
function fakeRegistry() {
  let stored: WebhookConfig | undefined = config(1);
  const getById = vi.fn(async (_id: string) => stored);
  return {
    registry: { getById },
    getById,
    set(next: WebhookConfig | undefined) {
      stored = next;
    },
  };
}

const requestIds = (n: number) => Array.from({ length: n }, (_, i) => `r${String(i).padStart(31, "0")}`);

describe("createConfigCache", () => {
  it("reads a version once, also for attempts that ask at the same time, then reuses it", async () => {
    const r = fakeRegistry();
    const cache = createConfigCache(r.registry);
    const first = await Promise.all([cache.get(ID, 1), cache.get(ID, 1), cache.get(ID, 1)]);
    expect(await cache.get(ID, 1)).toBe(first[0]);
    expect(first.map((c) => c?.version)).toEqual([1, 1, 1]);
    expect(r.getById).toHaveBeenCalledTimes(1);
  });

  it("reads again when a claim reports another version", async () => {
    const r = fakeRegistry();
    const cache = createConfigCache(r.registry);
    await cache.get(ID, 1);
    r.set(config(2));
    expect((await cache.get(ID, 2))?.url).toBe("https://hooks.example.com/v2");
    expect((await cache.get(ID, 2))?.url).toBe("https://hooks.example.com/v2");
    expect(r.getById).toHaveBeenCalledTimes(2);
  });

  it("keeps a newer version than the claim saw, and uses it for claims of the older one", async () => {
    const r = fakeRegistry();
    r.set(config(3));
    const cache = createConfigCache(r.registry);
    expect((await cache.get(ID, 2))?.version).toBe(3);
    expect((await cache.get(ID, 3))?.version).toBe(3);
    expect((await cache.get(ID, 2))?.version).toBe(3);
    expect(r.getById).toHaveBeenCalledTimes(1);
  });

  it("does not keep a version older than the claim saw (a lagging read)", async () => {
    const r = fakeRegistry();
    const cache = createConfigCache(r.registry);
    expect((await cache.get(ID, 2))?.version).toBe(1);
    r.set(config(2));
    expect((await cache.get(ID, 2))?.version).toBe(2);
    expect(r.getById).toHaveBeenCalledTimes(2);
  });

  it("answers undefined without a read when the claim found no configuration, and forgets the entry", async () => {
    const r = fakeRegistry();
    const cache = createConfigCache(r.registry);
    await cache.get(ID, 1);
    expect(await cache.get(ID, null)).toBeUndefined();
    expect(r.getById).toHaveBeenCalledTimes(1);
    await cache.get(ID, 1);
    expect(r.getById).toHaveBeenCalledTimes(2);
  });

  it("answers undefined, and keeps nothing, when the configuration was deleted after the claim", async () => {
    const r = fakeRegistry();
    r.set(undefined);
    const cache = createConfigCache(r.registry);
    expect(await cache.get(ID, 1)).toBeUndefined();
    r.set(config(1));
    expect(await cache.get(ID, 1)).toEqual(config(1));
    expect(r.getById).toHaveBeenCalledTimes(2);
  });

  it("reads on every call when the storage does not report a version", async () => {
    const r = fakeRegistry();
    const cache = createConfigCache(r.registry);
    await cache.get(ID, undefined);
    r.set(config(2));
    expect((await cache.get(ID, undefined))?.version).toBe(2);
    expect(r.getById).toHaveBeenCalledTimes(2);
  });

  it("does not keep a failed read: the next attempt reads again", async () => {
    const r = fakeRegistry();
    r.getById.mockRejectedValueOnce(new Error("database down"));
    const cache = createConfigCache(r.registry);
    await expect(cache.get(ID, 1)).rejects.toThrow("database down");
    expect((await cache.get(ID, 1))?.version).toBe(1);
    expect(r.getById).toHaveBeenCalledTimes(2);
  });

  it(`keeps at most ${CONFIG_CACHE_SIZE} configurations, dropping the least recently used`, async () => {
    const getById = vi.fn(async (id: string) => config(1, id));
    const cache = createConfigCache({ getById });
    await cache.get("c-0", 1);
    for (let i = 1; i <= CONFIG_CACHE_SIZE; i++) {
      await cache.get(`c-${i}`, 1);
      if (i === 1) await cache.get("c-0", 1);
    }
    getById.mockClear();
    await cache.get("c-0", 1);
    expect(getById).not.toHaveBeenCalled();
    await cache.get("c-1", 1);
    expect(getById).toHaveBeenCalledTimes(1);
  });
});

describe("the dispatcher reads a configuration once per version", () => {
  it("reads an unchanged configuration at most once for 20 deliveries", async () => {
    const h = await setup({ concurrency: { global: 8, perEndpoint: 8 } });
    await h.dispatcher.publishMany(requestIds(20).map((requestId) => eventInput({ requestId })));
    // Spied after publishing: the memory storage's `getConfig` (publish's lookup) reads through it too.
    const reads = vi.spyOn(h.storage, "getConfigById");
    let attempted = 0;
    while (attempted < 20) attempted += await h.dispatcher.runOnce();
    expect(h.transport.requests).toHaveLength(20);
    expect(reads.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it("reads an edited configuration once more and sends with it", async () => {
    const h = await setup();
    await h.dispatcher.publish(eventInput({ requestId: requestIds(2)[0]! }));
    await h.dispatcher.runOnce();
    await h.registry.update(h.config.id, { url: "https://new.example.com/hook" }, { expectedVersion: 1 });
    await h.dispatcher.publish(eventInput({ requestId: requestIds(2)[1]! }));
    const reads = vi.spyOn(h.storage, "getConfigById");
    await h.dispatcher.runOnce();
    expect(h.transport.requests.map((r) => r.url)).toEqual([
      "https://hooks.example.com/feedback",
      "https://new.example.com/hook",
    ]);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it("dead-letters (no_config) a delivery whose configuration the claim did not find, without reading it", async () => {
    const h = await setup();
    await h.dispatcher.publish(eventInput());
    await h.registry.delete(h.config.id);
    const reads = vi.spyOn(h.storage, "getConfigById");
    await h.dispatcher.runOnce();
    const [delivery] = (await h.dispatcher.deliveries.list()).items;
    expect(delivery).toMatchObject({ status: "dead", deadReason: "no_config" });
    expect(reads).not.toHaveBeenCalled();
  });

  it("reads on every attempt, and sees every edit, with a storage that does not report the version", async () => {
    const h = await setup();
    const claim = h.storage.claimDeliveries.bind(h.storage);
    vi.spyOn(h.storage, "claimDeliveries").mockImplementation(async (query) =>
      (await claim(query)).map(({ configVersion: _v, ...d }): ClaimedDelivery => d),
    );
    await h.dispatcher.publishMany(requestIds(2).map((requestId) => eventInput({ requestId })));
    const reads = vi.spyOn(h.storage, "getConfigById");
    await h.dispatcher.runOnce();
    expect(reads).toHaveBeenCalledTimes(2);
    await h.dispatcher.publish(eventInput({ requestId: "x".repeat(32) }));
    await h.registry.update(h.config.id, { headers: { "X-Tenant": "globex" } }, { expectedVersion: 1 });
    reads.mockClear();
    await h.dispatcher.runOnce();
    expect(h.transport.requests.map((r) => r.headers["x-tenant"])).toEqual(["acme", "acme", "globex"]);
    expect(reads).toHaveBeenCalledTimes(1);
  });
});
