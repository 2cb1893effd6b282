import type Database from "better-sqlite3";
import { StorageError } from "../../errors.js";
import { sqliteCall } from "./sqlite-error.js";

/**
 * The schema, one SQL step per version (step `i` brings the database to version `i + 1`).
 * Never edit a released step: append a new one. Tables carry an `fw_` prefix because the file
 * may be the application's own database (the transactional outbox writes into it).
 */
const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE fw_configs (
     id TEXT PRIMARY KEY,
     org_id TEXT NOT NULL,
     sandbox_name TEXT NOT NULL,
     version INTEGER NOT NULL,
     doc TEXT NOT NULL
   );
   -- Exactly one configuration per org + sandbox, enforced by the database, not by a read-then-write.
   CREATE UNIQUE INDEX fw_configs_org_sandbox ON fw_configs (org_id, sandbox_name);
   CREATE TABLE fw_campaigns (
     org_id TEXT NOT NULL,
     sandbox_name TEXT NOT NULL,
     campaign_id TEXT NOT NULL,
     PRIMARY KEY (org_id, sandbox_name, campaign_id)
   ) WITHOUT ROWID;`,
  // Times are integer milliseconds since the epoch, from the storage's clock.
  `CREATE TABLE fw_deliveries (
     id TEXT PRIMARY KEY,
     config_id TEXT NOT NULL,
     org_id TEXT NOT NULL,
     sandbox_name TEXT NOT NULL,
     request_id TEXT NOT NULL,
     idempotency_key TEXT NOT NULL,
     identities TEXT NOT NULL,
     body TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
     attempts INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     available_at INTEGER NOT NULL,
     round_started_at INTEGER NOT NULL,
     round_attempt_base INTEGER NOT NULL DEFAULT 0,
     delivered_at INTEGER,
     dead_at INTEGER,
     dead_reason TEXT,
     claim_token TEXT
   );
   -- Claims walk this partial index in order and stop after LIMIT rows; delivered and dead rows
   -- (the bulk of the table) are not in it.
   CREATE INDEX fw_deliveries_due ON fw_deliveries (available_at, id) WHERE status IN ('pending', 'in_flight');
   CREATE INDEX fw_deliveries_request ON fw_deliveries (request_id);
   CREATE INDEX fw_deliveries_backlog ON fw_deliveries (config_id) WHERE status <> 'delivered';
   CREATE INDEX fw_deliveries_delivered ON fw_deliveries (delivered_at) WHERE status = 'delivered';
   CREATE INDEX fw_deliveries_dead ON fw_deliveries (dead_at) WHERE status = 'dead';
   -- Erasure requests find a recipient's deliveries here instead of scanning every JSON list.
   CREATE TABLE fw_delivery_identities (
     identity TEXT NOT NULL,
     delivery_id TEXT NOT NULL REFERENCES fw_deliveries (id) ON DELETE CASCADE,
     PRIMARY KEY (identity, delivery_id)
   ) WITHOUT ROWID;
   CREATE INDEX fw_delivery_identities_delivery ON fw_delivery_identities (delivery_id);
   CREATE TABLE fw_attempts (
     delivery_id TEXT NOT NULL REFERENCES fw_deliveries (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     attempt INTEGER NOT NULL,
     started_at INTEGER NOT NULL,
     duration_ms REAL NOT NULL,
     status_code INTEGER,
     error TEXT,
     response_body TEXT,
     PRIMARY KEY (delivery_id, seq)
   ) WITHOUT ROWID;
   CREATE TABLE fw_idempotency_keys (
     key TEXT PRIMARY KEY,
     delivery_id TEXT NOT NULL REFERENCES fw_deliveries (id) ON DELETE CASCADE,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX fw_idempotency_keys_delivery ON fw_idempotency_keys (delivery_id);
   CREATE INDEX fw_idempotency_keys_expiry ON fw_idempotency_keys (expires_at);
   CREATE TABLE fw_endpoints (
     config_id TEXT PRIMARY KEY,
     consecutive_failures INTEGER NOT NULL DEFAULT 0,
     failing_since INTEGER,
     paused_until INTEGER,
     suspended_reason TEXT,
     suspended_at INTEGER
   );`,
];

/**
 * The schema version this package writes and understands.
 *
 * @example
 * ```ts
 * console.log(`SQLite database at schema version ${SQLITE_SCHEMA_VERSION}`);
 * ```
 */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/**
 * Brings the database to {@link SQLITE_SCHEMA_VERSION}. Runs in one `BEGIN IMMEDIATE`
 * transaction, so two processes opening the same file at once apply each step exactly once:
 * the second waits for the write lock (busy timeout) and then finds nothing left to do.
 * Refuses a database written by a newer version of this package rather than guess at its shape.
 *
 * @returns the version before and after.
 * @example
 * ```ts
 * const { from, to } = migrateSqlite(new Database("webhooks.db"));
 * ```
 */
export function migrateSqlite(db: Database.Database): { from: number; to: number } {
  return sqliteCall("migrate", () =>
    db
      .transaction(() => {
        db.exec(`CREATE TABLE IF NOT EXISTS fw_schema_version (
          version INTEGER PRIMARY KEY,
          applied_at INTEGER NOT NULL
        )`);
        const row = db.prepare("SELECT MAX(version) AS v FROM fw_schema_version").get() as { v: number | null };
        const from = row.v ?? 0;
        if (from > SQLITE_SCHEMA_VERSION) {
          throw new StorageError(
            `SQLite storage: database ${db.name} has schema version ${from}, newer than version ${SQLITE_SCHEMA_VERSION} that this feedback-webhooks understands; upgrade feedback-webhooks (a database is never migrated down).`,
          );
        }
        const record = db.prepare("INSERT INTO fw_schema_version (version, applied_at) VALUES (?, ?)");
        for (let version = from + 1; version <= SQLITE_SCHEMA_VERSION; version++) {
          db.exec(SQLITE_MIGRATIONS[version - 1]!);
          record.run(version, Date.now());
        }
        return { from, to: SQLITE_SCHEMA_VERSION };
      })
      .immediate(),
  );
}
