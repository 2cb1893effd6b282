import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import { claimLimits, withinCaps } from "../claim-limits.js";
import type { ClaimQuery, DeliveryQueueMethods, Settlement, SettleItem } from "../storage.js";
import { type ClaimedRow, toClaimed } from "./sqlite-delivery-rows.js";
import { enqueueOn, outboxHandle } from "./sqlite-enqueue.js";
import { sqliteCall } from "./sqlite-error.js";

/**
 * The delivery queue in SQLite. A claim is one `BEGIN IMMEDIATE` transaction: it holds the
 * database's single write lock from the SELECT of due rows to the UPDATE that leases them, so two
 * processes on the same file can never lease the same delivery (SQLite has no row locks, and
 * needs none). Settling is fenced by the claim token inside the UPDATE's WHERE clause.
 *
 * @example
 * ```ts
 * const queue = sqliteDeliveryQueue(db, systemClock);
 * const claimed = await queue.claimDeliveries({ limit: 10, leaseMs: 60_000 });
 * ```
 */
export function sqliteDeliveryQueue(db: Database.Database, clock: Clock): DeliveryQueueMethods {
  const q = {
    // Walks the partial index `fw_deliveries_due` in order and stops after @window rows.
    due: db.prepare(
      `SELECT id, config_id AS configId FROM fw_deliveries AS d
       WHERE status IN ('pending', 'in_flight') AND available_at <= @now
         AND config_id NOT IN (SELECT value FROM json_each(@excluded))
         AND NOT EXISTS (SELECT 1 FROM fw_endpoints AS e WHERE e.config_id = d.config_id
                         AND (e.suspended_reason IS NOT NULL OR e.paused_until > @now))
       ORDER BY available_at, id LIMIT @window`,
    ),
    // Also returns the configuration's version, read inside the claim's transaction (null: none).
    lease: db.prepare(
      `UPDATE fw_deliveries SET status = 'in_flight', claim_token = @token, available_at = @until, updated_at = @now
       WHERE id = @id
       RETURNING *, (SELECT c.version FROM fw_configs AS c WHERE c.id = fw_deliveries.config_id) AS config_version`,
    ),
    renew: db.prepare(
      "UPDATE fw_deliveries SET available_at = ? WHERE id = ? AND status = 'in_flight' AND claim_token = ?",
    ),
    // The fence: only the current claim's token matches; a stale holder changes nothing.
    settle: db.prepare(
      `UPDATE fw_deliveries SET
         status = @status, updated_at = @now, claim_token = NULL, attempts = attempts + @counted,
         available_at = CASE WHEN @status = 'pending' THEN @now + @retryInMs ELSE available_at END,
         delivered_at = CASE WHEN @status = 'delivered' THEN @now ELSE delivered_at END,
         dead_at = CASE WHEN @status = 'dead' THEN @now ELSE dead_at END,
         dead_reason = CASE WHEN @status = 'dead' THEN @reason ELSE dead_reason END
       WHERE id = @id AND status = 'in_flight' AND claim_token = @token
       RETURNING attempts`,
    ),
    attempt: db.prepare(
      `INSERT INTO fw_attempts (delivery_id, seq, attempt, started_at, duration_ms, status_code, error, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };

  // Per-configuration caps are applied in JS to a bounded window of candidates: better-sqlite3 is
  // synchronous, so the SELECT, the pick and the UPDATEs run inside one write transaction and no
  // other connection can lease a row in between. Candidates beyond the window are not seen this
  // round (it may return fewer than `limit` while more are due); the next round leases them.
  const claim = db.transaction((query: ClaimQuery) => {
    const now = clock.now();
    const limits = claimLimits(query);
    const candidates = q.due.all({ now, window: limits.window, excluded: JSON.stringify(limits.excluded) }) as Array<{
      id: string;
      configId: string;
    }>;
    return withinCaps(candidates, limits).map(({ id }) =>
      toClaimed(q.lease.get({ id, token: randomUUID(), until: now + query.leaseMs, now }) as ClaimedRow),
    );
  });

  // Runs inside the caller's transaction: `settle` (one claim) or `settleMany` (group commit).
  const settleOne = (id: string, token: string, s: Settlement): boolean => {
    const next = s.next;
    const row = q.settle.get({
      id,
      token,
      now: clock.now(),
      status: next.status,
      counted: s.attempt === undefined ? 0 : 1,
      retryInMs: next.status === "pending" ? next.retryInMs : 0,
      reason: next.status === "dead" ? next.reason : null,
    }) as { attempts: number } | undefined;
    if (row === undefined) return false;
    const a = s.attempt;
    if (a !== undefined) {
      q.attempt.run(
        id,
        row.attempts,
        a.attempt,
        a.startedAt.getTime(),
        a.durationMs,
        a.statusCode ?? null,
        a.error ?? null,
        a.responseBody ?? null,
      );
    }
    return true;
  };
  const settle = db.transaction(settleOne);
  // One transaction, so one commit (one fsync under `synchronous=FULL`) for the whole batch.
  const settleMany = db.transaction((items: readonly SettleItem[]) =>
    items.map((item) => settleOne(item.id, item.claimToken, item.settlement)),
  );

  return {
    async enqueueDeliveries(deliveries, options) {
      const results = sqliteCall("enqueueDeliveries", () =>
        enqueueOn(outboxHandle(db, options.tx), deliveries, options.idempotencyWindowMs, clock.now()),
      );
      // The commit above is synchronous, so a caller awaiting publishes in a loop would otherwise
      // never return to the event loop: timers (lease renewals, attempt timeouts) and I/O starve
      // and attempts in flight time out and are sent again. Yield once per call.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return results;
    },
    async claimDeliveries(query) {
      return sqliteCall("claimDeliveries", () => claim.immediate(query));
    },
    async renewLease(id, claimToken, leaseMs) {
      return sqliteCall("renewLease", () => q.renew.run(clock.now() + leaseMs, id, claimToken).changes > 0);
    },
    async settleDelivery(id, claimToken, settlement) {
      return sqliteCall("settleDelivery", () => settle.immediate(id, claimToken, settlement));
    },
    async settleDeliveries(items) {
      return sqliteCall("settleDeliveries", () => settleMany.immediate(items));
    },
  };
}
