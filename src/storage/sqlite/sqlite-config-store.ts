import type Database from "better-sqlite3";
import { ConfigConflictError, VersionConflictError } from "../../errors.js";
import type { ConfigRecord, ConfigStorage } from "../storage.js";
import { sqliteCall } from "./sqlite-error.js";

interface ConfigRow {
  id: string;
  org_id: string;
  sandbox_name: string;
  version: number;
  doc: string;
}

const toRecord = (row: ConfigRow): ConfigRecord => ({
  id: row.id,
  orgId: row.org_id,
  sandboxName: row.sandbox_name,
  version: row.version,
  doc: JSON.parse(row.doc) as ConfigRecord["doc"],
});

/** The configuration half of the port, without `close`. */
export type ConfigStore = Omit<ConfigStorage, "close">;

/**
 * Configurations and campaign switches in SQLite. Every method is one statement or one
 * `BEGIN IMMEDIATE` transaction (better-sqlite3 is synchronous, so nothing interleaves inside
 * it; IMMEDIATE takes the write lock up front instead of failing with SQLITE_BUSY when a read
 * transaction later tries to write while another connection writes).
 *
 * @example
 * ```ts
 * const configs = sqliteConfigStore(db);
 * await configs.insertConfig(record);
 * ```
 */
export function sqliteConfigStore(db: Database.Database): ConfigStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO fw_configs (id, org_id, sandbox_name, version, doc) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (org_id, sandbox_name) DO NOTHING`,
    ),
    idByPair: db.prepare("SELECT id FROM fw_configs WHERE org_id = ? AND sandbox_name = ?").pluck(),
    byPair: db.prepare("SELECT * FROM fw_configs WHERE org_id = ? AND sandbox_name = ?"),
    byId: db.prepare("SELECT * FROM fw_configs WHERE id = ?"),
    versionById: db.prepare("SELECT version FROM fw_configs WHERE id = ?").pluck(),
    list: db.prepare(
      `SELECT * FROM fw_configs WHERE (@cursor IS NULL OR id > @cursor) AND (@orgId IS NULL OR org_id = @orgId)
       ORDER BY id LIMIT @limit`,
    ),
    // Optimistic concurrency in one statement: the version check and the write cannot be split.
    update: db.prepare(
      "UPDATE fw_configs SET org_id = ?, sandbox_name = ?, version = ?, doc = ? WHERE id = ? AND version = ?",
    ),
    delete: db.prepare("DELETE FROM fw_configs WHERE id = @id AND (@expected IS NULL OR version = @expected)"),
    enable: db.prepare(
      "INSERT INTO fw_campaigns (org_id, sandbox_name, campaign_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    ),
    disable: db.prepare("DELETE FROM fw_campaigns WHERE org_id = ? AND sandbox_name = ? AND campaign_id = ?"),
    isEnabled: db.prepare("SELECT 1 FROM fw_campaigns WHERE org_id = ? AND sandbox_name = ? AND campaign_id = ?"),
    enabled: db
      .prepare("SELECT campaign_id FROM fw_campaigns WHERE org_id = ? AND sandbox_name = ? ORDER BY campaign_id")
      .pluck(),
  };

  const conflictFor = (orgId: string, sandboxName: string) =>
    new ConfigConflictError(orgId, sandboxName, q.idByPair.get(orgId, sandboxName) as string);

  const insert = db.transaction((r: ConfigRecord) => {
    const { changes } = q.insert.run(r.id, r.orgId, r.sandboxName, r.version, JSON.stringify(r.doc));
    if (changes === 0) throw conflictFor(r.orgId, r.sandboxName);
  });

  const update = db.transaction((r: ConfigRecord, expected: number) => {
    const existing = q.idByPair.get(r.orgId, r.sandboxName) as string | undefined;
    if (existing !== undefined && existing !== r.id) throw conflictFor(r.orgId, r.sandboxName);
    const { changes } = q.update.run(r.orgId, r.sandboxName, r.version, JSON.stringify(r.doc), r.id, expected);
    if (changes === 0) throw new VersionConflictError(r.id, expected, q.versionById.get(r.id) as number | undefined);
  });

  const remove = db.transaction((id: string, expected: number | undefined) => {
    if (q.delete.run({ id, expected: expected ?? null }).changes > 0) return true;
    const actual = q.versionById.get(id) as number | undefined;
    if (actual === undefined) return false;
    throw new VersionConflictError(id, expected!, actual);
  });

  return {
    async insertConfig(record) {
      sqliteCall("insertConfig", () => insert.immediate(record));
    },
    async getConfig(orgId, sandboxName) {
      const row = sqliteCall("getConfig", () => q.byPair.get(orgId, sandboxName)) as ConfigRow | undefined;
      return row && toRecord(row);
    },
    async getConfigById(id) {
      const row = sqliteCall("getConfigById", () => q.byId.get(id)) as ConfigRow | undefined;
      return row && toRecord(row);
    },
    async listConfigs({ orgId, cursor, limit }) {
      const params = { orgId: orgId ?? null, cursor: cursor ?? null, limit };
      return (sqliteCall("listConfigs", () => q.list.all(params)) as ConfigRow[]).map(toRecord);
    },
    async updateConfig(record, expectedVersion) {
      sqliteCall("updateConfig", () => update.immediate(record, expectedVersion));
    },
    async deleteConfig(id, expectedVersion) {
      return sqliteCall("deleteConfig", () => remove.immediate(id, expectedVersion));
    },
    async setCampaignEnabled({ orgId, sandboxName, campaignId }, enabled) {
      sqliteCall("setCampaignEnabled", () => (enabled ? q.enable : q.disable).run(orgId, sandboxName, campaignId));
    },
    async isCampaignEnabled({ orgId, sandboxName, campaignId }) {
      return sqliteCall("isCampaignEnabled", () => q.isEnabled.get(orgId, sandboxName, campaignId)) !== undefined;
    },
    async listEnabledCampaigns(orgId, sandboxName) {
      return sqliteCall("listEnabledCampaigns", () => q.enabled.all(orgId, sandboxName)) as string[];
    },
  };
}
