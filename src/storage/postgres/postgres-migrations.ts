import type pg from "pg";
import { StorageError } from "../../errors.js";
import { inTransaction } from "./postgres-checkout.js";

/**
 * The schema, one step per version (step `i` brings the schema to version `i + 1`), each a
 * function of the quoted schema name. Never edit a released step: append a new one.
 * Ids and keys use `COLLATE "C"` so that `ORDER BY id` and `id < $cursor` compare like
 * JavaScript strings (code units), whatever the database's default collation.
 */
const POSTGRES_MIGRATIONS: ReadonlyArray<(s: string) => string> = [
  (s) => `
    CREATE TABLE ${s}.configs (
      id text COLLATE "C" PRIMARY KEY,
      org_id text NOT NULL,
      sandbox_name text NOT NULL,
      version integer NOT NULL,
      doc json NOT NULL
    );
    -- Exactly one configuration per org + sandbox, enforced by the database (two concurrent
    -- inserts: the second waits for the first to commit, then conflicts).
    CREATE UNIQUE INDEX configs_org_sandbox ON ${s}.configs (org_id, sandbox_name);
    CREATE TABLE ${s}.campaigns (
      org_id text NOT NULL,
      sandbox_name text NOT NULL,
      campaign_id text COLLATE "C" NOT NULL,
      PRIMARY KEY (org_id, sandbox_name, campaign_id)
    );`,
  (s) => `
    CREATE TABLE ${s}.deliveries (
      id text COLLATE "C" PRIMARY KEY,
      config_id text COLLATE "C" NOT NULL,
      org_id text NOT NULL,
      sandbox_name text NOT NULL,
      request_id text NOT NULL,
      idempotency_key text NOT NULL,
      identities text[] NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      round_started_at timestamptz NOT NULL,
      round_attempt_base integer NOT NULL DEFAULT 0,
      delivered_at timestamptz,
      dead_at timestamptz,
      dead_reason text,
      claim_token text
    );
    -- The claim query walks this partial index in order and stops after LIMIT rows; delivered
    -- and dead rows (the bulk of the table) are not in it.
    CREATE INDEX deliveries_due ON ${s}.deliveries (available_at, id) WHERE status IN ('pending', 'in_flight');
    CREATE INDEX deliveries_request ON ${s}.deliveries (request_id);
    CREATE INDEX deliveries_backlog ON ${s}.deliveries (config_id) WHERE status <> 'delivered';
    CREATE INDEX deliveries_delivered ON ${s}.deliveries (delivered_at) WHERE status = 'delivered';
    CREATE INDEX deliveries_dead ON ${s}.deliveries (dead_at) WHERE status = 'dead';
    -- Erasure requests find a recipient's deliveries through their identities (identities @> ARRAY[$1]).
    CREATE INDEX deliveries_identities ON ${s}.deliveries USING gin (identities);
    CREATE TABLE ${s}.attempts (
      delivery_id text COLLATE "C" NOT NULL REFERENCES ${s}.deliveries (id) ON DELETE CASCADE,
      seq integer NOT NULL,
      attempt integer NOT NULL,
      started_at timestamptz NOT NULL,
      duration_ms double precision NOT NULL,
      status_code integer,
      error text,
      response_body text,
      PRIMARY KEY (delivery_id, seq)
    );
    -- Deferred: enqueue takes the key first (the race between two publishers is decided on this
    -- primary key), then inserts the delivery it points to, in the same transaction.
    CREATE TABLE ${s}.idempotency_keys (
      key text PRIMARY KEY,
      delivery_id text COLLATE "C" NOT NULL
        REFERENCES ${s}.deliveries (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX idempotency_keys_delivery ON ${s}.idempotency_keys (delivery_id);
    CREATE INDEX idempotency_keys_expiry ON ${s}.idempotency_keys (expires_at);
    CREATE TABLE ${s}.endpoints (
      config_id text COLLATE "C" PRIMARY KEY,
      consecutive_failures integer NOT NULL DEFAULT 0,
      failing_since timestamptz,
      paused_until timestamptz,
      suspended_reason text,
      suspended_at timestamptz
    );`,
];

/** The schema version this package writes and understands. */
const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/**
 * Brings `schema` (quoted) to {@link POSTGRES_SCHEMA_VERSION} in one transaction, under a
 * transaction-level advisory lock keyed on the schema name: processes that start together
 * queue on the lock, and each later one finds the work done. The lock is taken before
 * `CREATE SCHEMA IF NOT EXISTS`, which is itself not safe against a concurrent twin (it can
 * fail with a unique violation on the catalog). Transactional DDL means a failed step leaves
 * the schema exactly as it was.
 *
 * @returns the version before and after.
 * @example
 * ```ts
 * await migrateSchema(pool, '"feedback_webhooks"');
 * ```
 */
export function migrateSchema(pool: pg.Pool, schema: string): Promise<{ from: number; to: number }> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`feedback-webhooks migrate ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${schema}.schema_version`);
    const from = rows[0]?.v ?? 0;
    if (from > POSTGRES_SCHEMA_VERSION) {
      throw new StorageError(
        `PostgreSQL storage: schema ${schema} has version ${from}, newer than version ${POSTGRES_SCHEMA_VERSION} that this feedback-webhooks understands; upgrade feedback-webhooks (a schema is never migrated down).`,
      );
    }
    for (let version = from + 1; version <= POSTGRES_SCHEMA_VERSION; version++) {
      await client.query(POSTGRES_MIGRATIONS[version - 1]!(schema));
      await client.query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [version]);
    }
    return { from, to: POSTGRES_SCHEMA_VERSION };
  });
}
