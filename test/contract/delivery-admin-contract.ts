import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewDelivery } from "../../src/storage/storage.js";
import { DAY_MS, newDelivery, type StorageFactory, type StorageHarness } from "./storage-harness.js";

const opts = { idempotencyWindowMs: DAY_MS };

/** Dead letters, expiry, listing, retention, erasure and backlog: the admin half of the contract. */
export function describeDeliveryAdminContract(factory: StorageFactory): void {
  describe("delivery administration", () => {
    let h: StorageHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    /** Enqueues `d` and settles it; `others` are the configs of deliveries that must stay pending. */
    async function settleAs(d: NewDelivery, next: "delivered" | "dead", others: string[] = []): Promise<void> {
      await h.storage.enqueueDeliveries([d], opts);
      const [c] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000, excludeConfigIds: others });
      if (c?.id !== d.id) throw new Error("the test expects only this delivery to be due");
      const attempt = {
        attempt: 1,
        startedAt: new Date(),
        durationMs: 5,
        statusCode: next === "delivered" ? 200 : 500,
      };
      const outcome = next === "delivered" ? { status: next } : { status: next, reason: "max_attempts" };
      await h.storage.settleDelivery(d.id, c.claimToken, { attempt, next: outcome });
    }

    it("redelivers one dead letter in a new round; leaves others alone", async () => {
      const dead = newDelivery();
      const done = newDelivery();
      await settleAs(dead, "dead");
      await settleAs(done, "delivered");
      await h.advance(100);
      const revived = await h.storage.redeliverDelivery(dead.id);
      expect(revived).toMatchObject({ status: "pending", attempts: 1, roundAttemptBase: 1 });
      expect(revived!.deadAt).toBeUndefined();
      expect(revived!.deadReason).toBeUndefined();
      expect(revived!.roundStartedAt.getTime()).toBeGreaterThan(revived!.createdAt.getTime());
      expect(revived!.availableAt).toEqual(revived!.roundStartedAt);
      expect(await h.storage.redeliverDelivery(done.id)).toMatchObject({ status: "delivered" });
      expect(await h.storage.redeliverDelivery("0190a000-0000-7000-8000-000000000000")).toBeUndefined();
      expect((await h.storage.claimDeliveries({ limit: 5, leaseMs: 1000 })).map((c) => c.id)).toEqual([dead.id]);
    });

    it("redelivers dead letters that died since an instant", async () => {
      const early = newDelivery();
      await settleAs(early, "dead");
      await h.advance(200);
      const since = new Date((await h.storage.getDelivery(early.id))!.deadAt!.getTime() + 100);
      const late = newDelivery();
      await settleAs(late, "dead");
      expect(await h.storage.redeliverDead({ since, limit: 100 })).toBe(1);
      expect((await h.storage.getDelivery(late.id))!.status).toBe("pending");
      expect((await h.storage.getDelivery(early.id))!.status).toBe("dead");
    });

    it("expires deliveries older than the maximum age, held and paused ones included", async () => {
      const old = newDelivery({ configId: "held" });
      const leased = newDelivery({ configId: "busy" });
      await h.storage.enqueueDeliveries([old, leased], opts);
      await h.storage.suspendEndpoint("held", "gone");
      await h.storage.claimDeliveries({ limit: 1, leaseMs: 5000 });
      await h.advance(400);
      const fresh = newDelivery({ configId: "held" });
      await h.storage.enqueueDeliveries([fresh], opts);
      await h.advance(200);
      const stored = (await h.storage.getDelivery(old.id))!;
      expect(await h.storage.expireDeliveries({ maxAgeMs: 500, limit: 100 })).toEqual([
        {
          id: old.id,
          configId: "held",
          orgId: old.orgId,
          sandboxName: old.sandboxName,
          requestId: old.requestId,
          attempts: 0,
          createdAt: stored.createdAt,
        },
      ]);
      expect(await h.storage.getDelivery(old.id)).toMatchObject({ status: "dead", deadReason: "max_age" });
      expect(await h.storage.expireDeliveries({ maxAgeMs: 500, limit: 100 })).toEqual([]);
      expect((await h.storage.getDelivery(leased.id))!.status).toBe("in_flight");
      expect((await h.storage.getDelivery(fresh.id))!.status).toBe("pending");
    });

    it("lists with filters, newest first, and pages with a cursor", async () => {
      const a = newDelivery({ requestId: "r1" });
      const b = newDelivery({ requestId: "r2", orgId: "otherOrg", configId: "c-2" });
      await h.storage.enqueueDeliveries([a, b], opts);
      await h.advance(100);
      const since = new Date((await h.storage.getDelivery(b.id))!.createdAt.getTime() + 50);
      const c = newDelivery({ requestId: "r1", configId: "c-3" });
      await settleAs(c, "dead", [a.configId, "c-2"]);
      const ids = async (q: Parameters<typeof h.storage.listDeliveries>[0]) =>
        (await h.storage.listDeliveries(q)).map((d) => d.id);
      expect(await ids({ limit: 10 })).toEqual([c.id, b.id, a.id]);
      expect(await ids({ limit: 10, requestId: "r1" })).toEqual([c.id, a.id]);
      expect(await ids({ limit: 10, orgId: "otherOrg" })).toEqual([b.id]);
      expect(await ids({ limit: 10, configId: "c-2" })).toEqual([b.id]);
      expect(await ids({ limit: 10, status: "dead" })).toEqual([c.id]);
      expect(await ids({ limit: 10, since })).toEqual([c.id]);
      expect(await ids({ limit: 2 })).toEqual([c.id, b.id]);
      expect(await ids({ limit: 2, cursor: b.id })).toEqual([a.id]);
      const [dead] = await h.storage.listDeliveries({ limit: 1, status: "dead" });
      expect(dead!.attemptLog).toHaveLength(1);
    });

    it("prunes delivered and dead deliveries past their retention, in batches", async () => {
      const delivered = [newDelivery(), newDelivery()];
      for (const d of delivered) await settleAs(d, "delivered");
      const dead = newDelivery();
      await settleAs(dead, "dead");
      const pending = newDelivery({ configId: "busy" });
      await h.storage.enqueueDeliveries([pending], opts);
      await h.advance(300);
      const query = { deliveredOlderThanMs: 200, deadOlderThanMs: 1000, limit: 1 };
      expect(await h.storage.pruneDeliveries(query)).toBe(1);
      expect(await h.storage.pruneDeliveries(query)).toBe(1);
      expect(await h.storage.pruneDeliveries(query)).toBe(0);
      for (const d of delivered) expect(await h.storage.getDelivery(d.id)).toBeUndefined();
      expect(await h.storage.getDelivery(dead.id)).toBeDefined();
      await h.advance(800);
      expect(await h.storage.pruneDeliveries({ ...query, limit: 10 })).toBe(1);
      expect(await h.storage.getDelivery(dead.id)).toBeUndefined();
      expect(await h.storage.getDelivery(pending.id)).toBeDefined();
    });

    it("purges every delivery of a recipient, and frees their idempotency keys", async () => {
      const john = newDelivery({ identities: ["john.doe@luma.com", "+15550100"], idempotencyKey: "john" });
      const jane = newDelivery({ identities: ["jane@luma.com"] });
      const johnSms = newDelivery({ identities: ["+15550100"] });
      await h.storage.enqueueDeliveries([john, jane, johnSms], opts);
      expect(await h.storage.purgeDeliveries({ identity: "+15550100" })).toBe(2);
      expect(await h.storage.getDelivery(john.id)).toBeUndefined();
      expect(await h.storage.getDelivery(johnSms.id)).toBeUndefined();
      expect(await h.storage.getDelivery(jane.id)).toBeDefined();
      const again = newDelivery({ idempotencyKey: "john" });
      expect(await h.storage.enqueueDeliveries([again], opts)).toEqual([{ id: again.id, created: true }]);
    });

    it("reports the backlog per configuration with the age of the oldest due delivery", async () => {
      await h.storage.enqueueDeliveries([newDelivery({ configId: "c-1" })], opts);
      await h.advance(300);
      await h.storage.enqueueDeliveries([newDelivery({ configId: "c-1" }), newDelivery({ configId: "c-1" })], opts);
      await h.storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
      await h.advance(100);
      await settleAs(newDelivery({ configId: "c-2" }), "dead", ["c-1"]);
      const backlog = await h.storage.deliveryBacklog();
      expect(backlog).toMatchObject([
        { configId: "c-1", pending: 2, inFlight: 1, dead: 0 },
        { configId: "c-2", pending: 0, inFlight: 0, dead: 1 },
      ]);
      expect(backlog[0]!.oldestDueAgeMs).toBeGreaterThanOrEqual(100);
      expect(backlog[0]!.oldestDueAgeMs).toBeLessThan(300);
      expect(backlog[1]!.oldestDueAgeMs).toBeUndefined();
    });
  });
}
