import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigConflictError, VersionConflictError } from "../../src/errors.js";
import { configRecord, type StorageFactory, type StorageHarness } from "./storage-harness.js";

/** The configuration half of the storage contract. */
export function describeConfigContract(factory: StorageFactory): void {
  describe("configs", () => {
    let h: StorageHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it("stores and reads a configuration by id and by org + sandbox", async () => {
      const record = configRecord();
      await h.storage.insertConfig(record);
      expect(await h.storage.getConfigById(record.id)).toEqual(record);
      expect(await h.storage.getConfig("myImsOrg", "prod")).toEqual(record);
      expect(await h.storage.getConfig("myImsOrg", "dev")).toBeUndefined();
      expect(await h.storage.getConfigById("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    });

    it("refuses a second configuration for the same org + sandbox, naming the existing id", async () => {
      const first = configRecord();
      await h.storage.insertConfig(first);
      const error = await h.storage.insertConfig(configRecord()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigConflictError);
      expect((error as ConfigConflictError).existingId).toBe(first.id);
    });

    it("lets exactly one of 50 concurrent inserts win; the others name the winner", async () => {
      const records = Array.from({ length: 50 }, () => configRecord());
      const results = await Promise.allSettled(records.map((r) => h.storage.insertConfig(r)));
      const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [records[i]!.id] : []));
      expect(won).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") {
          expect(r.reason).toBeInstanceOf(ConfigConflictError);
          expect((r.reason as ConfigConflictError).existingId).toBe(won[0]);
        }
      }
    });

    it("allows the same org in another sandbox", async () => {
      await h.storage.insertConfig(configRecord());
      await h.storage.insertConfig(configRecord({ sandboxName: "dev" }));
      expect(await h.storage.listConfigs({ limit: 10 })).toHaveLength(2);
    });

    it("updates at the expected version and refuses a stale one without writing", async () => {
      const record = configRecord();
      await h.storage.insertConfig(record);
      const v2 = { ...record, version: 2, doc: { ...record.doc, name: "v2" } };
      await h.storage.updateConfig(v2, 1);
      const stale = { ...record, version: 2, doc: { ...record.doc, name: "stale" } };
      const error = await h.storage.updateConfig(stale, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersionConflictError);
      expect((error as VersionConflictError).actualVersion).toBe(2);
      expect(await h.storage.getConfigById(record.id)).toEqual(v2);
    });

    it("refuses to update a configuration that does not exist", async () => {
      const error = await h.storage.updateConfig(configRecord({ version: 2 }), 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersionConflictError);
      expect((error as VersionConflictError).actualVersion).toBeUndefined();
    });

    it("deletes (optionally at a version) and frees the org + sandbox", async () => {
      const record = configRecord();
      await h.storage.insertConfig(record);
      await expect(h.storage.deleteConfig(record.id, 7)).rejects.toBeInstanceOf(VersionConflictError);
      expect(await h.storage.deleteConfig(record.id, 1)).toBe(true);
      expect(await h.storage.deleteConfig(record.id)).toBe(false);
      expect(await h.storage.getConfig("myImsOrg", "prod")).toBeUndefined();
      await h.storage.insertConfig(configRecord());
    });

    it("pages through configurations ordered by id, filtered by org", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const record = configRecord({ sandboxName: `sb${i}` });
        ids.push(record.id);
        await h.storage.insertConfig(record);
      }
      await h.storage.insertConfig(configRecord({ orgId: "otherOrg" }));
      ids.sort();
      const first = await h.storage.listConfigs({ orgId: "myImsOrg", limit: 3 });
      expect(first.map((r) => r.id)).toEqual(ids.slice(0, 3));
      const second = await h.storage.listConfigs({ orgId: "myImsOrg", limit: 3, cursor: first.at(-1)!.id });
      expect(second.map((r) => r.id)).toEqual(ids.slice(3));
    });

    it("records campaign switches per org + sandbox", async () => {
      const key = { orgId: "myImsOrg", sandboxName: "prod", campaignId: "c-2" };
      await h.storage.setCampaignEnabled(key, true);
      await h.storage.setCampaignEnabled({ ...key, campaignId: "c-1" }, true);
      await h.storage.setCampaignEnabled({ ...key, sandboxName: "dev", campaignId: "c-3" }, true);
      await h.storage.setCampaignEnabled(key, true);
      expect(await h.storage.isCampaignEnabled(key)).toBe(true);
      expect(await h.storage.listEnabledCampaigns("myImsOrg", "prod")).toEqual(["c-1", "c-2"]);
      await h.storage.setCampaignEnabled(key, false);
      expect(await h.storage.isCampaignEnabled(key)).toBe(false);
      expect(await h.storage.listEnabledCampaigns("myImsOrg", "prod")).toEqual(["c-1"]);
    });
  });
}
