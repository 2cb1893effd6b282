import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConfigRecord } from "../../src/storage/storage.js";
import { configRecord, DAY_MS, newDelivery, type StorageFactory, type StorageHarness } from "./storage-harness.js";

const opts = { idempotencyWindowMs: DAY_MS };

/**
 * `ClaimedDelivery.configVersion`: every adapter reports the version of each claimed delivery's
 * configuration as the claim read it, so the dispatcher can reuse a configuration it decoded.
 */
export function describeClaimConfigVersionContract(factory: StorageFactory): void {
  describe("delivery queue: the claim reports the configuration version", () => {
    let h: StorageHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    const claimOne = async () => {
      const [claimed] = await h.storage.claimDeliveries({ limit: 1, leaseMs: 10_000 });
      if (claimed === undefined) throw new Error("expected a claimed delivery");
      return claimed;
    };
    const giveBack = (claimed: { id: string; claimToken: string }) =>
      h.storage.settleDelivery(claimed.id, claimed.claimToken, { next: { status: "pending", retryInMs: 0 } });
    const updated = (record: ConfigRecord, version: number): ConfigRecord => ({
      ...record,
      version,
      doc: { ...record.doc, url: `https://hooks.example.com/v${version}` },
    });

    it("reports the version the configuration has when the claim runs", async () => {
      const record = configRecord({ version: 3 });
      await h.storage.insertConfig(record);
      await h.storage.enqueueDeliveries([newDelivery({ configId: record.id })], opts);
      expect((await claimOne()).configVersion).toBe(3);
    });

    it("reports the new version once the configuration was updated", async () => {
      const record = configRecord();
      await h.storage.insertConfig(record);
      await h.storage.enqueueDeliveries([newDelivery({ configId: record.id })], opts);
      const first = await claimOne();
      expect(first.configVersion).toBe(1);
      await giveBack(first);
      await h.storage.updateConfig(updated(record, 2), 1);
      expect((await claimOne()).configVersion).toBe(2);
    });

    it("reports null once the configuration was deleted", async () => {
      const record = configRecord();
      await h.storage.insertConfig(record);
      await h.storage.enqueueDeliveries([newDelivery({ configId: record.id })], opts);
      await giveBack(await claimOne());
      await h.storage.deleteConfig(record.id);
      expect((await claimOne()).configVersion).toBeNull();
    });

    it("reports null for a configuration that never existed", async () => {
      await h.storage.enqueueDeliveries([newDelivery({ configId: "c-never-created" })], opts);
      expect((await claimOne()).configVersion).toBeNull();
    });

    it("reports each delivery's own configuration version in one claim", async () => {
      const a = configRecord({ sandboxName: "prod" });
      const b = configRecord({ sandboxName: "dev" });
      await h.storage.insertConfig(a);
      await h.storage.insertConfig(b);
      await h.storage.updateConfig(updated(b, 2), 1);
      await h.storage.enqueueDeliveries(
        [newDelivery({ configId: a.id }), newDelivery({ configId: b.id }), newDelivery({ configId: "c-gone" })],
        opts,
      );
      const claimed = await h.storage.claimDeliveries({ limit: 3, leaseMs: 10_000 });
      expect(Object.fromEntries(claimed.map((d) => [d.configId, d.configVersion]))).toEqual({
        [a.id]: 1,
        [b.id]: 2,
        "c-gone": null,
      });
    });
  });
}
