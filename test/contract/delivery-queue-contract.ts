import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptRecord } from "../../src/storage/storage.js";
import { describeClaimLimitsContract } from "./claim-limits-contract.js";
import { describeSettleBatchContract } from "./settle-batch-contract.js";
import { DAY_MS, newDelivery, type StorageFactory, type StorageHarness } from "./storage-harness.js";

const opts = { idempotencyWindowMs: DAY_MS };
const attempt = (n: number, extra: Partial<AttemptRecord> = {}): AttemptRecord => ({
  attempt: n,
  startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)),
  durationMs: 12,
  statusCode: 500,
  error: "HTTP 500",
  responseBody: "oops",
  ...extra,
});

/** Enqueue, claim, lease, fencing and settle: the queue half of the storage contract. */
export function describeDeliveryQueueContract(factory: StorageFactory): void {
  describeClaimLimitsContract(factory);
  describeSettleBatchContract(factory);
  describe("delivery queue", () => {
    let h: StorageHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it("enqueues a pending delivery, due now, with the exact body", async () => {
      const d = newDelivery({ body: '{"a":"é","b":[1, 2]}' });
      expect(await h.storage.enqueueDeliveries([d], opts)).toEqual([{ id: d.id, created: true }]);
      const stored = await h.storage.getDelivery(d.id);
      expect(stored).toMatchObject({ ...d, status: "pending", attempts: 0, roundAttemptBase: 0, attemptLog: [] });
      expect(stored!.availableAt).toEqual(stored!.createdAt);
      expect(stored!.roundStartedAt).toEqual(stored!.createdAt);
      expect(stored!.deliveredAt).toBeUndefined();
      expect(stored!.deadAt).toBeUndefined();
    });

    it("enqueues an idempotency key once within the window, also inside one batch", async () => {
      const a = newDelivery({ idempotencyKey: "k1" });
      const b = newDelivery({ idempotencyKey: "k1" });
      const c = newDelivery({ idempotencyKey: "k2" });
      const results = await h.storage.enqueueDeliveries([a, b, c], opts);
      expect(results).toEqual([
        { id: a.id, created: true },
        { id: a.id, created: false },
        { id: c.id, created: true },
      ]);
      expect(await h.storage.enqueueDeliveries([newDelivery({ idempotencyKey: "k2" })], opts)).toEqual([
        { id: c.id, created: false },
      ]);
      expect(await h.storage.getDelivery(b.id)).toBeUndefined();
    });

    it("creates exactly one delivery when 10 enqueues of the same key race", async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => h.storage.enqueueDeliveries([newDelivery({ idempotencyKey: "race" })], opts)),
      );
      const flat = results.flat();
      expect(flat.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(flat.map((r) => r.id)).size).toBe(1);
    });

    it("forgets an idempotency key after the window", async () => {
      const a = newDelivery({ idempotencyKey: "k" });
      await h.storage.enqueueDeliveries([a], { idempotencyWindowMs: 500 });
      await h.advance(600);
      const b = newDelivery({ idempotencyKey: "k" });
      expect(await h.storage.enqueueDeliveries([b], { idempotencyWindowMs: 500 })).toEqual([
        { id: b.id, created: true },
      ]);
      expect(await h.storage.getDelivery(a.id)).toBeDefined();
    });

    it("claims due deliveries oldest first, up to the limit, each with its own token", async () => {
      const ds = [newDelivery(), newDelivery(), newDelivery()];
      for (const d of ds) {
        await h.storage.enqueueDeliveries([d], opts);
        await h.advance(20);
      }
      const claimed = await h.storage.claimDeliveries({ limit: 2, leaseMs: 1000 });
      expect(claimed.map((c) => c.id)).toEqual([ds[0]!.id, ds[1]!.id]);
      expect(claimed.every((c) => c.status === "in_flight")).toBe(true);
      expect(new Set(claimed.map((c) => c.claimToken)).size).toBe(2);
      expect((await h.storage.claimDeliveries({ limit: 10, leaseMs: 1000 })).map((c) => c.id)).toHaveLength(1);
      expect(await h.storage.claimDeliveries({ limit: 10, leaseMs: 1000 })).toEqual([]);
      expect((await h.storage.getDelivery(claimed[0]!.id))!.status).toBe("in_flight");
    });

    it("skips excluded, paused and suspended configurations", async () => {
      const [a, b, c] = ["c-a", "c-b", "c-c"].map((configId) => newDelivery({ configId })) as [
        ReturnType<typeof newDelivery>,
        ReturnType<typeof newDelivery>,
        ReturnType<typeof newDelivery>,
      ];
      await h.storage.enqueueDeliveries([a, b, c], opts);
      await h.storage.recordEndpointFailure("c-b", { pauseAfter: 1, pauseMs: 500 });
      await h.storage.suspendEndpoint("c-c", "gone");
      expect(await h.storage.claimDeliveries({ limit: 10, leaseMs: 1000, excludeConfigIds: ["c-a"] })).toEqual([]);
      await h.advance(600);
      const ids = (await h.storage.claimDeliveries({ limit: 10, leaseMs: 1000, excludeConfigIds: ["c-a"] })).map(
        (d) => d.id,
      );
      expect(ids).toEqual([b.id]);
      await h.storage.resumeEndpoint("c-c");
      expect((await h.storage.claimDeliveries({ limit: 10, leaseMs: 1000 })).map((d) => d.id).sort()).toEqual(
        [a.id, c.id].sort(),
      );
    });

    it("never hands the same delivery to concurrent claimers", async () => {
      await h.storage.enqueueDeliveries(
        Array.from({ length: 30 }, () => newDelivery()),
        opts,
      );
      const batches = await Promise.all(
        Array.from({ length: 6 }, () => h.storage.claimDeliveries({ limit: 10, leaseMs: 10_000 })),
      );
      const ids = batches.flat().map((d) => d.id);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    });

    it("makes a delivery claimable again when its lease expires, and fences the old holder", async () => {
      const d = newDelivery();
      await h.storage.enqueueDeliveries([d], opts);
      const [first] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 200 });
      await h.advance(250);
      const [second] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      expect(second?.id).toBe(d.id);
      expect(second?.claimToken).not.toBe(first!.claimToken);
      expect(await h.storage.renewLease(d.id, first!.claimToken, 1000)).toBe(false);
      expect(
        await h.storage.settleDelivery(d.id, first!.claimToken, { attempt: attempt(1), next: { status: "delivered" } }),
      ).toBe(false);
      const stored = await h.storage.getDelivery(d.id);
      expect(stored).toMatchObject({ status: "in_flight", attempts: 0, attemptLog: [] });
      expect(await h.storage.settleDelivery(d.id, second!.claimToken, { next: { status: "delivered" } })).toBe(true);
    });

    it("renews a lease from the storage's now", async () => {
      await h.storage.enqueueDeliveries([newDelivery()], opts);
      const [c] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 300 });
      await h.advance(200);
      expect(await h.storage.renewLease(c!.id, c!.claimToken, 300)).toBe(true);
      await h.advance(200);
      expect(await h.storage.claimDeliveries({ limit: 1, leaseMs: 300 })).toEqual([]);
      await h.advance(150);
      expect(await h.storage.claimDeliveries({ limit: 1, leaseMs: 300 })).toHaveLength(1);
    });

    it("records a delivered attempt once; a second settle with the same token is refused", async () => {
      const d = newDelivery();
      await h.storage.enqueueDeliveries([d], opts);
      const [c] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      const ok = attempt(1, { statusCode: 204, responseBody: "", error: undefined });
      expect(await h.storage.settleDelivery(d.id, c!.claimToken, { attempt: ok, next: { status: "delivered" } })).toBe(
        true,
      );
      expect(await h.storage.settleDelivery(d.id, c!.claimToken, { next: { status: "dead", reason: "x" } })).toBe(
        false,
      );
      const stored = await h.storage.getDelivery(d.id);
      expect(stored).toMatchObject({ status: "delivered", attempts: 1, attemptLog: [ok] });
      expect(stored!.deliveredAt).toBeInstanceOf(Date);
    });

    it("schedules a retry from the storage's now and keeps the whole attempt log", async () => {
      const d = newDelivery();
      await h.storage.enqueueDeliveries([d], opts);
      const [c1] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      await h.storage.settleDelivery(d.id, c1!.claimToken, {
        attempt: attempt(1),
        next: { status: "pending", retryInMs: 300 },
      });
      expect(await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 })).toEqual([]);
      await h.advance(350);
      const [c2] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      expect(c2).toMatchObject({ id: d.id, attempts: 1 });
      const network = attempt(2, { statusCode: undefined, responseBody: undefined, error: "ECONNRESET" });
      await h.storage.settleDelivery(d.id, c2!.claimToken, {
        attempt: network,
        next: { status: "pending", retryInMs: 0 },
      });
      const stored = await h.storage.getDelivery(d.id);
      expect(stored).toMatchObject({ status: "pending", attempts: 2, attemptLog: [attempt(1), network] });
      expect(stored!.attemptLog[1]!.statusCode).toBeUndefined();
    });

    it("gives a claim back untried without counting an attempt", async () => {
      const d = newDelivery();
      await h.storage.enqueueDeliveries([d], opts);
      const [c] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      await h.storage.settleDelivery(d.id, c!.claimToken, { next: { status: "pending", retryInMs: 0 } });
      expect(await h.storage.getDelivery(d.id)).toMatchObject({ status: "pending", attempts: 0, attemptLog: [] });
      expect(await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 })).toHaveLength(1);
    });

    it("dead-letters with a reason", async () => {
      const d = newDelivery();
      await h.storage.enqueueDeliveries([d], opts);
      const [c] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      await h.storage.settleDelivery(d.id, c!.claimToken, {
        attempt: attempt(1),
        next: { status: "dead", reason: "max_attempts" },
      });
      const stored = await h.storage.getDelivery(d.id);
      expect(stored).toMatchObject({ status: "dead", deadReason: "max_attempts", attempts: 1 });
      expect(stored!.deadAt).toBeInstanceOf(Date);
      expect(await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 })).toEqual([]);
    });

    it("answers every repeat of a key held from an earlier call with the holder, in input order", async () => {
      const holder = newDelivery({ idempotencyKey: "held" });
      await h.storage.enqueueDeliveries([holder], opts);
      const batch = ["new", "held", "new", "held"].map((idempotencyKey) => newDelivery({ idempotencyKey }));
      expect(await h.storage.enqueueDeliveries(batch, opts)).toEqual([
        { id: batch[0]!.id, created: true },
        { id: holder.id, created: false },
        { id: batch[0]!.id, created: false },
        { id: holder.id, created: false },
      ]);
      expect(await h.storage.getDelivery(batch[1]!.id)).toBeUndefined();
    });

    it("keeps no key with a window of 0: every delivery is created, also inside one batch", async () => {
      const [a, b, c, d] = Array.from({ length: 4 }, () => newDelivery({ idempotencyKey: "k" }));
      expect(await h.storage.enqueueDeliveries([a!, b!], { idempotencyWindowMs: 0 })).toEqual([
        { id: a!.id, created: true },
        { id: b!.id, created: true },
      ]);
      expect(await h.storage.enqueueDeliveries([c!, d!], opts)).toEqual([
        { id: c!.id, created: true },
        { id: c!.id, created: false },
      ]);
      expect(await h.storage.getDelivery(a!.id)).toBeDefined();
      expect(await h.storage.getDelivery(b!.id)).toBeDefined();
    });

    it("creates each key once when two batches with overlapping keys in opposite orders race", async () => {
      const keys = Array.from({ length: 1600 }, (_, i) => `overlap-${String(i).padStart(4, "0")}`);
      const ascending = keys.slice(0, 1200).map((idempotencyKey) => newDelivery({ idempotencyKey }));
      const descending = keys
        .slice(400)
        .reverse()
        .map((idempotencyKey) => newDelivery({ idempotencyKey }));
      const [up, down] = await Promise.all([
        h.storage.enqueueDeliveries(ascending, opts),
        h.storage.enqueueDeliveries(descending, opts),
      ]);
      const winner = new Map<string, string>();
      const batches = [
        [ascending, up!],
        [descending, down!],
      ] as const;
      for (const [batch, results] of batches) {
        results.forEach((r, i) => {
          if (r.created) {
            expect(winner.has(batch[i]!.idempotencyKey)).toBe(false);
            winner.set(batch[i]!.idempotencyKey, r.id);
          }
        });
      }
      expect(winner.size).toBe(keys.length);
      for (const [batch, results] of batches) {
        expect(results.map((r) => r.id)).toEqual(batch.map((d) => winner.get(d.idempotencyKey)));
      }
    });

    it("enqueues a large batch in input order: repeats across it, an expired key taken over, every identity kept", async () => {
      const expired = newDelivery({ idempotencyKey: "expired", identities: ["gone@example.com"] });
      await h.storage.enqueueDeliveries([expired], { idempotencyWindowMs: 500 });
      await h.advance(600);
      // 700 deliveries over 300 keys, so repeats come far apart; "expired" appears twice.
      const batch = Array.from({ length: 700 }, (_, i) =>
        newDelivery({
          idempotencyKey: i === 400 || i === 650 ? "expired" : `bulk-${i % 300}`,
          identities: [`p${i}@example.com`, "all@example.com"],
        }),
      );
      const first = new Map<string, string>();
      const expected = batch.map((d) => {
        const held = first.get(d.idempotencyKey);
        if (held !== undefined) return { id: held, created: false };
        first.set(d.idempotencyKey, d.id);
        return { id: d.id, created: true };
      });
      expect(await h.storage.enqueueDeliveries(batch, opts)).toEqual(expected);
      expect(await h.storage.getDelivery(expired.id)).toBeDefined();
      expect(await h.storage.getDelivery(batch[400]!.id)).toMatchObject({ ...batch[400], status: "pending" });
      expect(await h.storage.enqueueDeliveries([newDelivery({ idempotencyKey: "expired" })], opts)).toEqual([
        { id: batch[400]!.id, created: false },
      ]);
      expect(await h.storage.purgeDeliveries({ identity: "p650@example.com" })).toBe(0);
      // 300 keys and the one taken over.
      expect(await h.storage.purgeDeliveries({ identity: "all@example.com" })).toBe(301);
    });
  });
}
