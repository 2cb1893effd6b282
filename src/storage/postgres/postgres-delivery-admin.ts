import { type BacklogRow, toBacklog } from "../backlog-row.js";
import { EXPIRED_COLUMNS, type ExpiredRow, toExpired } from "../expired-row.js";
import type { DeliveryAdminMethods } from "../storage.js";
import type { PgConnection } from "./postgres-connection.js";
import { toDeliveryRecord, withAttemptLog } from "./postgres-delivery-rows.js";

type Row = Parameters<typeof toDeliveryRecord>[0];
const MS = "::float8 * interval '1 millisecond'";
// A dead letter back to pending, due now, in a new retry round.
const REVIVE = `status = 'pending', available_at = now(), updated_at = now(), round_started_at = now(),
  round_attempt_base = attempts, dead_at = NULL, dead_reason = NULL`;

/**
 * Reading, redelivering, expiring, pruning and purging deliveries in PostgreSQL. Bulk changes
 * take at most `limit` rows, and skip rows another worker holds (`SKIP LOCKED`), so several
 * dispatchers can run maintenance at once without queueing on each other; attempts and
 * idempotency keys go with their delivery (`ON DELETE CASCADE`).
 *
 * @example
 * ```ts
 * const admin = postgresDeliveryAdmin(connection);
 * await admin.purgeDeliveries({ identity: "john.doe@luma.com" });
 * ```
 */
export function postgresDeliveryAdmin(db: PgConnection): DeliveryAdminMethods {
  const s = db.schema;
  const byId = `SELECT ${withAttemptLog(s)} FROM ${s}.deliveries d WHERE d.id = $1`;

  return {
    async getDelivery(id) {
      const { rows } = await db.query<Row>("getDelivery", byId, [id]);
      return rows[0] && toDeliveryRecord(rows[0]);
    },
    async listDeliveries(q) {
      const { rows } = await db.query<Row>(
        "listDeliveries",
        `SELECT ${withAttemptLog(s)} FROM ${s}.deliveries d
         WHERE ($1::text IS NULL OR d.status = $1) AND ($2::text IS NULL OR d.request_id = $2)
           AND ($3::text IS NULL OR d.org_id = $3) AND ($4::text IS NULL OR d.config_id = $4)
           AND ($5::timestamptz IS NULL OR d.created_at >= $5) AND ($6::text IS NULL OR d.id < $6)
         ORDER BY d.id DESC LIMIT $7`,
        [q.status, q.requestId, q.orgId, q.configId, q.since, q.cursor, Math.max(0, q.limit)].map((v) => v ?? null),
      );
      return rows.map(toDeliveryRecord);
    },
    redeliverDelivery(id) {
      return db.transaction("redeliverDelivery", async (client) => {
        await client.query(`UPDATE ${s}.deliveries SET ${REVIVE} WHERE id = $1 AND status = 'dead'`, [id]);
        const { rows } = await client.query<Row>(byId, [id]);
        return rows[0] && toDeliveryRecord(rows[0]);
      });
    },
    async redeliverDead({ since, limit }) {
      const { rowCount } = await db.query(
        "redeliverDead",
        `UPDATE ${s}.deliveries SET ${REVIVE} WHERE id IN (
           SELECT id FROM ${s}.deliveries WHERE status = 'dead' AND dead_at >= $1
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [since, Math.max(0, limit)],
      );
      return rowCount ?? 0;
    },
    async expireDeliveries({ maxAgeMs, limit }) {
      const { rows } = await db.query<ExpiredRow>(
        "expireDeliveries",
        `UPDATE ${s}.deliveries SET status = 'dead', dead_at = now(), dead_reason = 'max_age', updated_at = now(),
           claim_token = NULL
         WHERE id IN (
           SELECT id FROM ${s}.deliveries
           WHERE (status = 'pending' OR (status = 'in_flight' AND available_at <= now()))
             AND round_started_at <= now() - $1${MS}
           ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING ${EXPIRED_COLUMNS}`,
        [maxAgeMs, Math.max(0, limit)],
      );
      return toExpired(rows);
    },
    pruneDeliveries({ deliveredOlderThanMs, deadOlderThanMs, limit }) {
      const n = Math.max(0, limit);
      return db.transaction("pruneDeliveries", async (client) => {
        // One arm per partial index; FOR UPDATE is not allowed on a UNION, so each arm locks its own rows.
        const pruned = await client.query(
          `WITH delivered AS (
             SELECT id FROM ${s}.deliveries WHERE status = 'delivered' AND delivered_at <= now() - $1${MS}
             LIMIT $3 FOR UPDATE SKIP LOCKED
           ), dead AS (
             SELECT id FROM ${s}.deliveries WHERE status = 'dead' AND dead_at <= now() - $2${MS}
             LIMIT $3 FOR UPDATE SKIP LOCKED
           )
           DELETE FROM ${s}.deliveries WHERE id IN (SELECT id FROM delivered UNION ALL SELECT id FROM dead LIMIT $3)`,
          [deliveredOlderThanMs, deadOlderThanMs, n],
        );
        // Expired keys are already ignored by enqueue; forgetting them is housekeeping, batched too.
        await client.query(
          `DELETE FROM ${s}.idempotency_keys WHERE key IN (
             SELECT key FROM ${s}.idempotency_keys WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
          [n],
        );
        return pruned.rowCount ?? 0;
      });
    },
    async purgeDeliveries({ identity }) {
      // `@>` (not `= ANY`) so the GIN index on identities finds the rows.
      const { rowCount } = await db.query(
        "purgeDeliveries",
        `DELETE FROM ${s}.deliveries WHERE identities @> ARRAY[$1]::text[]`,
        [identity],
      );
      return rowCount ?? 0;
    },
    async deliveryBacklog() {
      const { rows } = await db.query<BacklogRow>(
        "deliveryBacklog",
        `SELECT config_id,
           count(*) FILTER (WHERE status = 'pending')::int AS pending,
           count(*) FILTER (WHERE status = 'in_flight')::int AS in_flight,
           count(*) FILTER (WHERE status = 'dead')::int AS dead,
           floor(extract(epoch FROM now() - min(available_at) FILTER (WHERE status = 'pending' AND available_at <= now()))
             * 1000)::float8 AS oldest
         FROM ${s}.deliveries WHERE status <> 'delivered' GROUP BY config_id ORDER BY config_id`,
      );
      return rows.map(toBacklog);
    },
  };
}
