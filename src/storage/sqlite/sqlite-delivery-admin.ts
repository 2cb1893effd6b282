import { type BacklogRow, toBacklog } from "../backlog-row.js";
import { EXPIRED_COLUMNS, type ExpiredRow, toExpired } from "../expired-row.js";
import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { DeliveryAdminMethods, DeliveryRecord } from "../storage.js";
import { type AttemptRow, type DeliveryRow, toAttempt, toDelivery } from "./sqlite-delivery-rows.js";
import { sqliteCall } from "./sqlite-error.js";

// A dead letter back to pending, due now, in a new retry round.
const REVIVE = `status = 'pending', available_at = @now, updated_at = @now, round_started_at = @now,
  round_attempt_base = attempts, dead_at = NULL, dead_reason = NULL`;

/**
 * Reading, redelivering, expiring, pruning and purging deliveries in SQLite. Bulk changes work
 * in batches of `limit` rows so that no transaction holds the write lock for long; attempts,
 * identities and idempotency keys go with their delivery (`ON DELETE CASCADE`).
 *
 * @example
 * ```ts
 * const admin = sqliteDeliveryAdmin(db, systemClock);
 * await admin.pruneDeliveries({ deliveredOlderThanMs: 30 * 86_400_000, deadOlderThanMs: 90 * 86_400_000, limit: 500 });
 * ```
 */
export function sqliteDeliveryAdmin(db: Database.Database, clock: Clock): DeliveryAdminMethods {
  const q = {
    byId: db.prepare("SELECT * FROM fw_deliveries WHERE id = ?"),
    attempts: db.prepare(
      "SELECT attempt, started_at, duration_ms, status_code, error, response_body FROM fw_attempts WHERE delivery_id = ? ORDER BY seq",
    ),
    list: db.prepare(
      `SELECT * FROM fw_deliveries
       WHERE (@status IS NULL OR status = @status) AND (@requestId IS NULL OR request_id = @requestId)
         AND (@orgId IS NULL OR org_id = @orgId) AND (@configId IS NULL OR config_id = @configId)
         AND (@since IS NULL OR created_at >= @since) AND (@cursor IS NULL OR id < @cursor)
       ORDER BY id DESC LIMIT @limit`,
    ),
    revive: db.prepare(`UPDATE fw_deliveries SET ${REVIVE} WHERE id = @id AND status = 'dead'`),
    reviveSince: db.prepare(
      `UPDATE fw_deliveries SET ${REVIVE} WHERE id IN
         (SELECT id FROM fw_deliveries WHERE status = 'dead' AND dead_at >= @since ORDER BY id LIMIT @limit)`,
    ),
    expire: db.prepare(
      `UPDATE fw_deliveries SET status = 'dead', dead_at = @now, dead_reason = 'max_age', updated_at = @now,
         claim_token = NULL
       WHERE id IN (SELECT id FROM fw_deliveries
                    WHERE (status = 'pending' OR (status = 'in_flight' AND available_at <= @now))
                      AND round_started_at <= @now - @maxAgeMs
                    ORDER BY id LIMIT @limit)
       RETURNING ${EXPIRED_COLUMNS}`,
    ),
    // Two arms so each walks its own partial index instead of scanning the table.
    prune: db.prepare(
      `DELETE FROM fw_deliveries WHERE id IN (
         SELECT id FROM (SELECT id FROM fw_deliveries WHERE status = 'delivered' AND delivered_at <= @deliveredBefore
                         LIMIT @limit)
         UNION ALL
         SELECT id FROM (SELECT id FROM fw_deliveries WHERE status = 'dead' AND dead_at <= @deadBefore LIMIT @limit)
         LIMIT @limit)`,
    ),
    forgetKeys: db.prepare(
      `DELETE FROM fw_idempotency_keys WHERE rowid IN
         (SELECT rowid FROM fw_idempotency_keys WHERE expires_at <= @now LIMIT @limit)`,
    ),
    purge: db.prepare(
      "DELETE FROM fw_deliveries WHERE id IN (SELECT delivery_id FROM fw_delivery_identities WHERE identity = ?)",
    ),
    backlog: db.prepare(
      `SELECT config_id, SUM(status = 'pending') AS pending, SUM(status = 'in_flight') AS in_flight,
         SUM(status = 'dead') AS dead,
         MAX(CASE WHEN status = 'pending' AND available_at <= @now THEN @now - available_at END) AS oldest
       FROM fw_deliveries WHERE status <> 'delivered' GROUP BY config_id ORDER BY config_id`,
    ),
  };

  const withLog = (row: DeliveryRow): DeliveryRecord => ({
    ...toDelivery(row),
    attemptLog: (q.attempts.all(row.id) as AttemptRow[]).map(toAttempt),
  });
  const read = db.transaction((id: string) => {
    const row = q.byId.get(id) as DeliveryRow | undefined;
    return row && withLog(row);
  });
  const list = db.transaction((params: Record<string, unknown>) => (q.list.all(params) as DeliveryRow[]).map(withLog));
  const redeliver = db.transaction((id: string) => {
    q.revive.run({ id, now: clock.now() });
    return read(id);
  });
  const prune = db.transaction((deliveredMs: number, deadMs: number, limit: number) => {
    const now = clock.now();
    const { changes } = q.prune.run({ deliveredBefore: now - deliveredMs, deadBefore: now - deadMs, limit });
    // Expired keys are already ignored by enqueue; forgetting them is housekeeping, batched too.
    q.forgetKeys.run({ now, limit });
    return changes;
  });

  return {
    async getDelivery(id) {
      return sqliteCall("getDelivery", () => read(id));
    },
    async listDeliveries(query) {
      const params = {
        status: query.status ?? null,
        requestId: query.requestId ?? null,
        orgId: query.orgId ?? null,
        configId: query.configId ?? null,
        since: query.since?.getTime() ?? null,
        cursor: query.cursor ?? null,
        limit: Math.max(0, query.limit),
      };
      return sqliteCall("listDeliveries", () => list(params));
    },
    async redeliverDelivery(id) {
      return sqliteCall("redeliverDelivery", () => redeliver.immediate(id));
    },
    async redeliverDead({ since, limit }) {
      const params = { since: since.getTime(), limit: Math.max(0, limit), now: clock.now() };
      return sqliteCall("redeliverDead", () => q.reviveSince.run(params).changes);
    },
    async expireDeliveries({ maxAgeMs, limit }) {
      const params = { maxAgeMs, limit: Math.max(0, limit), now: clock.now() };
      return sqliteCall("expireDeliveries", () => toExpired(q.expire.all(params) as ExpiredRow[]));
    },
    async pruneDeliveries({ deliveredOlderThanMs, deadOlderThanMs, limit }) {
      return sqliteCall("pruneDeliveries", () =>
        prune.immediate(deliveredOlderThanMs, deadOlderThanMs, Math.max(0, limit)),
      );
    },
    async purgeDeliveries({ identity }) {
      return sqliteCall("purgeDeliveries", () => q.purge.run(identity).changes);
    },
    async deliveryBacklog() {
      const rows = sqliteCall("deliveryBacklog", () => q.backlog.all({ now: clock.now() })) as BacklogRow[];
      return rows.map(toBacklog);
    },
  };
}
