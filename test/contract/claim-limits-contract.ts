import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClaimQuery, NewDelivery } from "../../src/storage/storage.js";
import { DAY_MS, newDelivery, type StorageFactory, type StorageHarness } from "./storage-harness.js";

const opts = { idempotencyWindowMs: DAY_MS };

/**
 * Enqueues `perConfig` deliveries for each configuration, round-robin, in one batch: they share
 * one `availableAt`, so the claim order is the id order, which is the creation order here.
 */
function roundRobin(configIds: readonly string[], perConfig: number): NewDelivery[] {
  return Array.from({ length: perConfig * configIds.length }, (_, i) =>
    newDelivery({ configId: configIds[i % configIds.length]! }),
  );
}

/** Claimed ids per configuration. */
function byConfig(claimed: ReadonlyArray<{ id: string; configId: string }>): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const d of claimed) groups[d.configId] = [...(groups[d.configId] ?? []), d.id];
  return groups;
}

/** Ids of `configId` among `ds`, oldest first, at most `n`. */
const oldest = (ds: readonly NewDelivery[], configId: string, n: number) =>
  ds
    .filter((d) => d.configId === configId)
    .slice(0, n)
    .map((d) => d.id);

/**
 * Per-configuration caps of `claimDeliveries` (`perConfigLimit`, `configLimits`): part of the
 * delivery queue contract, run against every adapter.
 */
export function describeClaimLimitsContract(factory: StorageFactory): void {
  describe("delivery queue: per-configuration claim caps", () => {
    let h: StorageHarness;
    const claim = (query: Omit<ClaimQuery, "leaseMs">) => h.storage.claimDeliveries({ leaseMs: 10_000, ...query });
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it("leases at most perConfigLimit deliveries of each configuration, oldest first", async () => {
      const ds = roundRobin(["c-a", "c-b"], 4).concat(newDelivery({ configId: "c-c" }));
      await h.storage.enqueueDeliveries(ds, opts);
      const claimed = await claim({ limit: 10, perConfigLimit: 2 });
      expect(byConfig(claimed)).toEqual({
        "c-a": oldest(ds, "c-a", 2),
        "c-b": oldest(ds, "c-b", 2),
        "c-c": oldest(ds, "c-c", 1),
      });
      expect(claimed.map((d) => d.id)).toEqual([...claimed.map((d) => d.id)].sort());
      expect((await h.storage.getDelivery(oldest(ds, "c-a", 3)[2]!))!.status).toBe("pending");
    });

    it("applies a tighter configLimits cap, and leases none of a configuration capped at ≤ 0", async () => {
      const ds = roundRobin(["c-a", "c-b", "c-c", "c-d"], 3);
      await h.storage.enqueueDeliveries(ds, opts);
      const claimed = await claim({
        limit: 20,
        perConfigLimit: 2,
        configLimits: { "c-a": 1, "c-b": 0, "c-c": -3, "c-d": 5 },
      });
      // c-d's 5 is looser than perConfigLimit: the smaller cap wins.
      expect(byConfig(claimed)).toEqual({ "c-a": oldest(ds, "c-a", 1), "c-d": oldest(ds, "c-d", 2) });
    });

    it("applies configLimits without perConfigLimit, leaving other configurations uncapped", async () => {
      const ds = roundRobin(["c-a", "c-b"], 3);
      await h.storage.enqueueDeliveries(ds, opts);
      const claimed = await claim({ limit: 10, configLimits: { "c-a": 1 } });
      expect(byConfig(claimed)).toEqual({ "c-a": oldest(ds, "c-a", 1), "c-b": oldest(ds, "c-b", 3) });
    });

    it("combines the caps with limit and excludeConfigIds", async () => {
      const ds = roundRobin(["c-a", "c-b", "c-c", "c-d"], 3);
      await h.storage.enqueueDeliveries(ds, opts);
      const claimed = await claim({
        limit: 4,
        perConfigLimit: 2,
        configLimits: { "c-b": 1 },
        excludeConfigIds: ["c-c"],
      });
      // Claim order a1 b1 d1 a2 (b2 is over c-b's cap, c-c is excluded), then the limit stops it.
      expect(claimed.map((d) => d.id)).toEqual([ds[0]!.id, ds[1]!.id, ds[3]!.id, ds[4]!.id]);
      expect(await claim({ limit: 10, perConfigLimit: 0 })).toEqual([]);
    });

    it("finds deliveries behind a capped configuration's backlog in later rounds", async () => {
      // c-b's deliveries are due after 40 of c-a: likely beyond the first claim's candidate window.
      const ds = [...roundRobin(["c-a"], 40), ...roundRobin(["c-b"], 2)];
      await h.storage.enqueueDeliveries(ds, opts);
      const first = await claim({ limit: 2, perConfigLimit: 1 });
      expect(byConfig(first)["c-a"]).toEqual(oldest(ds, "c-a", 1));
      // The dispatcher's next round excludes the saturated configuration.
      const second = await claim({ limit: 2, perConfigLimit: 1, excludeConfigIds: ["c-a"] });
      expect(second).toHaveLength(1);
      // An adapter may see c-b in the first round already; either way the oldest comes first.
      expect([...first, ...second].filter((d) => d.configId === "c-b").map((d) => d.id)).toEqual(
        oldest(ds, "c-b", 2).slice(0, first.length === 2 ? 2 : 1),
      );
    });

    it("drains a backlog larger than the candidate window, each delivery once, never over the cap", async () => {
      const ds = [...roundRobin(["c-a", "c-b"], 15), ...roundRobin(["c-c"], 5)];
      await h.storage.enqueueDeliveries(ds, opts);
      const seen: string[] = [];
      for (let round = 0; round < 40 && seen.length < ds.length; round++) {
        const claimed = await claim({ limit: 3, perConfigLimit: 2, configLimits: { "c-b": 1 } });
        for (const ids of Object.values(byConfig(claimed))) expect(ids.length).toBeLessThanOrEqual(2);
        expect(claimed.filter((d) => d.configId === "c-b").length).toBeLessThanOrEqual(1);
        for (const d of claimed) {
          seen.push(d.id);
          await h.storage.settleDelivery(d.id, d.claimToken, { next: { status: "delivered" } });
        }
      }
      expect(seen.sort()).toEqual(ds.map((d) => d.id).sort());
    });
  });
}
