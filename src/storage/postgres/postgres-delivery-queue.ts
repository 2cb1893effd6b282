import type { DeliveryQueueMethods, SettleItem } from "../storage.js";
import { claimDeliveries } from "./postgres-claim.js";
import type { PgConnection } from "./postgres-connection.js";
import { enqueueOn } from "./postgres-enqueue.js";

const MS = "::float8 * interval '1 millisecond'";

/**
 * The statement that settles one claim (it returns one row, `settled`: 1 or 0). One statement:
 * the fenced update and the attempt log entry commit together or not at all; a stale token
 * matches no row and writes nothing.
 */
function settleStatement(s: string, { id, claimToken, settlement }: SettleItem): [string, unknown[]] {
  const { attempt: a, next } = settlement;
  return [
    `WITH settled AS (
           UPDATE ${s}.deliveries SET
             status = $3, updated_at = now(), claim_token = NULL, attempts = attempts + $4,
             available_at = CASE WHEN $3 = 'pending' THEN now() + $5${MS} ELSE available_at END,
             delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END,
             dead_at = CASE WHEN $3 = 'dead' THEN now() ELSE dead_at END,
             dead_reason = CASE WHEN $3 = 'dead' THEN $6 ELSE dead_reason END
           WHERE id = $1 AND status = 'in_flight' AND claim_token = $2
           RETURNING id, attempts
         ), logged AS (
           INSERT INTO ${s}.attempts (delivery_id, seq, attempt, started_at, duration_ms, status_code, error, response_body)
           SELECT id, attempts, $7, $8, $9, $10, $11, $12 FROM settled WHERE $4 = 1
         )
         SELECT count(*)::int AS settled FROM settled`,
    [
      id,
      claimToken,
      next.status,
      a === undefined ? 0 : 1,
      next.status === "pending" ? next.retryInMs : 0,
      next.status === "dead" ? next.reason : null,
      a?.attempt ?? 0,
      a?.startedAt ?? new Date(0),
      a?.durationMs ?? 0,
      a?.statusCode ?? null,
      a?.error ?? null,
      a?.responseBody ?? null,
    ],
  ];
}

/**
 * The delivery queue in PostgreSQL (see `claimDeliveries` for the claim's trade-offs).
 *
 * Enqueue is set-based (see `enqueueOn`): a constant number of statements per thousand
 * deliveries. The key's primary key decides a race between two publishers (the second waits
 * for the first to commit, then sees the key held), and an expired key is taken over in the
 * same upsert. The delivery rows are inserted by the same statement — the key's foreign key is
 * DEFERRABLE INITIALLY DEFERRED for that.
 *
 * @example
 * ```ts
 * const queue = postgresDeliveryQueue(connection);
 * await queue.enqueueDeliveries([delivery], { idempotencyWindowMs: 86_400_000, tx: client });
 * ```
 */
export function postgresDeliveryQueue(db: PgConnection): DeliveryQueueMethods {
  const s = db.schema;
  return {
    enqueueDeliveries(deliveries, options) {
      return db.transaction(
        "enqueueDeliveries",
        (client) => enqueueOn(client, s, deliveries, options.idempotencyWindowMs),
        options.tx,
      );
    },

    claimDeliveries(query) {
      return claimDeliveries(db, query);
    },

    async renewLease(id, claimToken, leaseMs) {
      const { rowCount } = await db.query(
        "renewLease",
        `UPDATE ${s}.deliveries SET available_at = now() + $3${MS}
         WHERE id = $1 AND status = 'in_flight' AND claim_token = $2`,
        [id, claimToken, leaseMs],
      );
      return rowCount !== 0;
    },

    async settleDelivery(id, claimToken, settlement) {
      const [sql, params] = settleStatement(s, { id, claimToken, settlement });
      const { rows } = await db.query<{ settled: number }>("settleDelivery", sql, params);
      return rows[0]!.settled === 1;
    },

    settleDeliveries(items) {
      // One transaction: one commit for the batch. Items run in order on one client; fencing is per statement.
      return db.transaction("settleDeliveries", async (client) => {
        const results: boolean[] = [];
        for (const item of items) {
          const { rows } = await client.query<{ settled: number }>(...settleStatement(s, item));
          results.push(rows[0]!.settled === 1);
        }
        return results;
      });
    },
  };
}
