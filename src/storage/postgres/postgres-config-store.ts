import { ConfigConflictError, VersionConflictError } from "../../errors.js";
import type { ConfigRecord, ConfigStorage } from "../storage.js";
import type { PgConnection, Queryable } from "./postgres-connection.js";

interface ConfigRow {
  id: string;
  org_id: string;
  sandbox_name: string;
  version: number;
  doc: ConfigRecord["doc"];
}

const toRecord = (row: ConfigRow): ConfigRecord => ({
  id: row.id,
  orgId: row.org_id,
  sandboxName: row.sandbox_name,
  version: row.version,
  doc: row.doc,
});

/** The configuration half of the port, without `close`. */
export type ConfigStore = Omit<ConfigStorage, "close">;

/**
 * Configurations and campaign switches in PostgreSQL. Uniqueness of org + sandbox is the
 * unique index's job; the optimistic version check is part of the UPDATE's WHERE clause, so
 * neither is a read-then-write.
 *
 * @example
 * ```ts
 * const configs = postgresConfigStore(new PgConnection({ connectionString }));
 * await configs.insertConfig(record);
 * ```
 */
export function postgresConfigStore(db: PgConnection): ConfigStore {
  const s = db.schema;
  const idByPair = async (orgId: string, sandboxName: string, client?: Queryable) => {
    const sql = `SELECT id FROM ${s}.configs WHERE org_id = $1 AND sandbox_name = $2`;
    const { rows } = client
      ? await client.query<{ id: string }>(sql, [orgId, sandboxName])
      : await db.query<{ id: string }>("getConfigId", sql, [orgId, sandboxName]);
    return rows[0]?.id;
  };
  const versionOf = async (id: string) =>
    (await db.query<{ version: number }>("getConfigVersion", `SELECT version FROM ${s}.configs WHERE id = $1`, [id]))
      .rows[0]?.version;

  return {
    async insertConfig(r) {
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same pair to commit and then
      // skips; the SELECT that follows (a new snapshot under READ COMMITTED) sees the winner. If
      // the winner was deleted in between, the pair is free again: try once more.
      await db.transaction("insertConfig", async (client) => {
        for (;;) {
          const inserted = await client.query(
            `INSERT INTO ${s}.configs (id, org_id, sandbox_name, version, doc) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (org_id, sandbox_name) DO NOTHING`,
            [r.id, r.orgId, r.sandboxName, r.version, JSON.stringify(r.doc)],
          );
          if (inserted.rowCount !== 0) return;
          const existing = await idByPair(r.orgId, r.sandboxName, client);
          if (existing !== undefined) throw new ConfigConflictError(r.orgId, r.sandboxName, existing);
        }
      });
    },
    async getConfig(orgId, sandboxName) {
      const { rows } = await db.query<ConfigRow>(
        "getConfig",
        `SELECT * FROM ${s}.configs WHERE org_id = $1 AND sandbox_name = $2`,
        [orgId, sandboxName],
      );
      return rows[0] && toRecord(rows[0]);
    },
    async getConfigById(id) {
      const { rows } = await db.query<ConfigRow>("getConfigById", `SELECT * FROM ${s}.configs WHERE id = $1`, [id]);
      return rows[0] && toRecord(rows[0]);
    },
    async listConfigs({ orgId, cursor, limit }) {
      const { rows } = await db.query<ConfigRow>(
        "listConfigs",
        `SELECT * FROM ${s}.configs WHERE ($1::text IS NULL OR id > $1) AND ($2::text IS NULL OR org_id = $2)
         ORDER BY id LIMIT $3`,
        [cursor ?? null, orgId ?? null, limit],
      );
      return rows.map(toRecord);
    },
    async updateConfig(r, expectedVersion) {
      let updated: { rowCount: number | null };
      try {
        updated = await db.query(
          "updateConfig",
          `UPDATE ${s}.configs SET org_id = $1, sandbox_name = $2, version = $3, doc = $4 WHERE id = $5 AND version = $6`,
          [r.orgId, r.sandboxName, r.version, JSON.stringify(r.doc), r.id, expectedVersion],
        );
      } catch (error) {
        // Moving a record onto a pair another record holds: the unique index refuses it.
        const cause = (error as { cause?: { code?: string; constraint?: string } }).cause;
        if (cause?.code !== "23505" || cause.constraint !== "configs_org_sandbox") throw error;
        const existing = await idByPair(r.orgId, r.sandboxName);
        throw new ConfigConflictError(r.orgId, r.sandboxName, existing ?? "(deleted meanwhile)");
      }
      if (updated.rowCount === 0) throw new VersionConflictError(r.id, expectedVersion, await versionOf(r.id));
    },
    async deleteConfig(id, expectedVersion) {
      const deleted = await db.query(
        "deleteConfig",
        `DELETE FROM ${s}.configs WHERE id = $1 AND ($2::integer IS NULL OR version = $2)`,
        [id, expectedVersion ?? null],
      );
      if (deleted.rowCount !== 0) return true;
      const actual = await versionOf(id);
      if (actual === undefined) return false;
      throw new VersionConflictError(id, expectedVersion!, actual);
    },
    async setCampaignEnabled({ orgId, sandboxName, campaignId }, enabled) {
      const sql = enabled
        ? `INSERT INTO ${s}.campaigns (org_id, sandbox_name, campaign_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`
        : `DELETE FROM ${s}.campaigns WHERE org_id = $1 AND sandbox_name = $2 AND campaign_id = $3`;
      await db.query("setCampaignEnabled", sql, [orgId, sandboxName, campaignId]);
    },
    async isCampaignEnabled({ orgId, sandboxName, campaignId }) {
      const { rowCount } = await db.query(
        "isCampaignEnabled",
        `SELECT 1 FROM ${s}.campaigns WHERE org_id = $1 AND sandbox_name = $2 AND campaign_id = $3`,
        [orgId, sandboxName, campaignId],
      );
      return rowCount !== 0;
    },
    async listEnabledCampaigns(orgId, sandboxName) {
      const { rows } = await db.query<{ campaign_id: string }>(
        "listEnabledCampaigns",
        `SELECT campaign_id FROM ${s}.campaigns WHERE org_id = $1 AND sandbox_name = $2 ORDER BY campaign_id`,
        [orgId, sandboxName],
      );
      return rows.map((row) => row.campaign_id);
    },
  };
}
