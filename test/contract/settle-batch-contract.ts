import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AttemptRecord, SettleItem } from "../../src/storage/storage.js";
import { DAY_MS, newDelivery, type StorageFactory, type StorageHarness } from "./storage-harness.js";

const opts = { idempotencyWindowMs: DAY_MS };
const attempt = (n: number, statusCode: number): AttemptRecord => ({
  attempt: n,
  startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)),
  durationMs: 7,
  statusCode,
  ...(statusCode >= 300 && { error: `HTTP ${statusCode}` }),
});

/** `settleDeliveries`: the group commit, fenced per item like `settleDelivery`. */
export function describeSettleBatchContract(factory: StorageFactory): void {
  describe("settle in batches (settleDeliveries)", () => {
    let h: StorageHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it("applies every item's outcome and attempt, with one result per item in input order", async () => {
      const ds = [newDelivery(), newDelivery(), newDelivery()];
      await h.storage.enqueueDeliveries(ds, opts);
      const byId = new Map((await h.storage.claimDeliveries({ limit: 3, leaseMs: 10_000 })).map((c) => [c.id, c]));
      const [a, b, c] = ds.map((d) => byId.get(d.id)!);
      const items: SettleItem[] = [
        { id: c!.id, claimToken: c!.claimToken, settlement: { next: { status: "dead", reason: "max_attempts" } } },
        {
          id: a!.id,
          claimToken: a!.claimToken,
          settlement: { attempt: attempt(1, 204), next: { status: "delivered" } },
        },
        {
          id: b!.id,
          claimToken: b!.claimToken,
          settlement: { attempt: attempt(1, 503), next: { status: "pending", retryInMs: 500 } },
        },
      ];
      expect(await h.storage.settleDeliveries!(items)).toEqual([true, true, true]);
      expect(await h.storage.getDelivery(a!.id)).toMatchObject({
        status: "delivered",
        attempts: 1,
        attemptLog: [attempt(1, 204)],
      });
      expect(await h.storage.getDelivery(b!.id)).toMatchObject({
        status: "pending",
        attempts: 1,
        attemptLog: [attempt(1, 503)],
      });
      expect(await h.storage.getDelivery(c!.id)).toMatchObject({ status: "dead", deadReason: "max_attempts" });
      expect(await h.storage.claimDeliveries({ limit: 3, leaseMs: 10_000 })).toEqual([]);
      await h.advance(600);
      expect((await h.storage.claimDeliveries({ limit: 3, leaseMs: 10_000 })).map((d) => d.id)).toEqual([b!.id]);
    });

    it("fences each item: a stale token gives false for that item only and writes nothing of it", async () => {
      const [stale, fresh] = [newDelivery(), newDelivery()];
      await h.storage.enqueueDeliveries([stale!, fresh!], opts);
      const [oldClaim] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 200 });
      expect(oldClaim!.id).toBe(stale!.id);
      await h.advance(250);
      // The lease expired: another worker holds `stale` now; `fresh` is claimed normally.
      const claims = await h.storage.claimDeliveries({ limit: 2, leaseMs: 10_000 });
      const current = claims.find((c) => c.id === stale!.id)!;
      const other = claims.find((c) => c.id === fresh!.id)!;
      const results = await h.storage.settleDeliveries!([
        {
          id: other.id,
          claimToken: other.claimToken,
          settlement: { attempt: attempt(1, 204), next: { status: "delivered" } },
        },
        {
          id: stale!.id,
          claimToken: oldClaim!.claimToken,
          settlement: { attempt: attempt(1, 204), next: { status: "delivered" } },
        },
      ]);
      expect(results).toEqual([true, false]);
      expect(await h.storage.getDelivery(fresh!.id)).toMatchObject({ status: "delivered", attempts: 1 });
      expect(await h.storage.getDelivery(stale!.id)).toMatchObject({
        status: "in_flight",
        attempts: 0,
        attemptLog: [],
      });
      // The current holder still settles it.
      expect(
        await h.storage.settleDeliveries!([
          { id: current.id, claimToken: current.claimToken, settlement: { next: { status: "delivered" } } },
        ]),
      ).toEqual([true]);
    });

    it("returns [] for an empty batch", async () => {
      expect(await h.storage.settleDeliveries!([])).toEqual([]);
    });

    it("applies a batch that names one delivery twice in order: the first item whose token holds wins", async () => {
      const [d] = [newDelivery()];
      await h.storage.enqueueDeliveries([d!], opts);
      const [c] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 10_000 });
      const delivered = (n: number): SettleItem => ({
        id: c!.id,
        claimToken: c!.claimToken,
        settlement: { attempt: attempt(n, 204), next: { status: "delivered" } },
      });
      const staleFirst: SettleItem = { ...delivered(1), claimToken: "not-the-token" };
      expect(await h.storage.settleDeliveries!([staleFirst, delivered(2), delivered(3)])).toEqual([false, true, false]);
      expect(await h.storage.getDelivery(c!.id)).toMatchObject({
        status: "delivered",
        attempts: 1,
        attemptLog: [attempt(2, 204)],
      });
    });

    it("gives a claim back without an attempt, and keeps attempt text exactly as given", async () => {
      const [back, logged] = [newDelivery(), newDelivery()];
      await h.storage.enqueueDeliveries([back!, logged!], opts);
      const byId = new Map((await h.storage.claimDeliveries({ limit: 2, leaseMs: 10_000 })).map((c) => [c.id, c]));
      const [b, l] = [byId.get(back!.id)!, byId.get(logged!.id)!];
      // Characters that array and JSON encodings treat specially, and a string that reads as SQL NULL.
      const text: AttemptRecord = {
        ...attempt(1, 500),
        error: "NULL",
        responseBody: '{"a":"b,c"} \\ "quoted" \n ünïcødé 🙂 {NULL}',
      };
      const results = await h.storage.settleDeliveries!([
        { id: b.id, claimToken: b.claimToken, settlement: { next: { status: "pending", retryInMs: 0 } } },
        { id: l.id, claimToken: l.claimToken, settlement: { attempt: text, next: { status: "dead", reason: "gone" } } },
      ]);
      expect(results).toEqual([true, true]);
      expect(await h.storage.getDelivery(b.id)).toMatchObject({ status: "pending", attempts: 0, attemptLog: [] });
      expect(await h.storage.getDelivery(l.id)).toMatchObject({
        status: "dead",
        deadReason: "gone",
        attempts: 1,
        attemptLog: [text],
      });
      expect((await h.storage.claimDeliveries({ limit: 2, leaseMs: 10_000 })).map((d) => d.id)).toEqual([b.id]);
    });
  });
}
