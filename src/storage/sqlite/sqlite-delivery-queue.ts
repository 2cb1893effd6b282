import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import { claimLimits, withinCaps } from "../claim-limits.js";
import type { ClaimQuery, DeliveryQueueMethods, Settlement, SettleItem } from "../storage.js";
import type { SqliteCommits } from "./sqlite-commits.js";
import { type DeliveryRow, toClaimed } from "./sqlite-delivery-rows.js";
import { enqueueOn, outboxHandle } from "./sqlite-enqueue.js";
import { sqliteCall } from "./sqlite-error.js";

/**
 * The delivery queue in SQLite. A claim is one `BEGIN IMMEDIATE` transaction: it holds the
 * database's single write lock from the SELECT of due rows to the UPDATE that leases them, so two
 * processes on the same file can never lease the same delivery (SQLite has no row locks, and
 * needs none). Settling is fenced by the claim token inside the UPDATE's WHERE clause. Claims,
 * renewals and settles commit through `commits`, which moves their fsync off the event loop.
 *
 * @example
 * ```ts
 * const queue = sqliteDeliveryQueue(db, systemClock, sqliteCommits(db, "full"));
 * const claimed = await queue.claimDeliveries({ limit: 10, leaseMs: 60_000 });
 * ```
 */
export function sqliteDeliveryQueue(db: Database.Database, clock: Clock, commits: SqliteCommits): DeliveryQueueMethods {
  const q = {
    // Walks the partial index `fw_deliveries_due` in order and stops after @window rows. Returns
    // the rowid so that each lease finds its row in one b-tree search, not two (id, then rowid).
    due: db.prepare(
      `SELECT rowid, config_id AS configId FROM fw_deliveries AS d
       WHERE status IN ('pending', 'in_flight') AND available_at <= @now
         AND config_id NOT IN (SELECT value FROM json_each(@excluded))
         AND NOT EXISTS (SELECT 1 FROM fw_endpoints AS e WHERE e.config_id = d.config_id
                         AND (e.suspended_reason IS NOT NULL OR e.paused_until > @now))
       ORDER BY available_at, id LIMIT @window`,
    ),
    // Hot statements bind positional parameters: cheaper than named ones in better-sqlite3.
    lease: db.prepare(
      `UPDATE fw_deliveries SET status = 'in_flight', claim_token = ?, available_at = ?, updated_at = ?
       WHERE rowid = ? RETURNING *`,
    ),
    // The version of a configuration (undefined: none), read once per configuration per claim.
    version: db.prepare("SELECT version FROM fw_configs WHERE id = ?").pluck(),
    renew: db.prepare(
      "UPDATE fw_deliveries SET available_at = ? WHERE id = ? AND status = 'in_flight' AND claim_token = ?",
    ),
    // One statement per outcome, each setting only its own columns; RETURNING the new count of
    // attempts, the attempt's `seq`. The fence: only the current claim's token matches; a stale
    // holder changes nothing.
    delivered: db
      .prepare(
        `UPDATE fw_deliveries SET status = 'delivered', updated_at = ?, delivered_at = ?, claim_token = NULL,
           attempts = attempts + ?
         WHERE id = ? AND status = 'in_flight' AND claim_token = ? RETURNING attempts`,
      )
      .pluck(),
    retry: db
      .prepare(
        `UPDATE fw_deliveries SET status = 'pending', updated_at = ?, available_at = ?, claim_token = NULL,
           attempts = attempts + ?
         WHERE id = ? AND status = 'in_flight' AND claim_token = ? RETURNING attempts`,
      )
      .pluck(),
    dead: db
      .prepare(
        `UPDATE fw_deliveries SET status = 'dead', updated_at = ?, dead_at = ?, dead_reason = ?, claim_token = NULL,
           attempts = attempts + ?
         WHERE id = ? AND status = 'in_flight' AND claim_token = ? RETURNING attempts`,
      )
      .pluck(),
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
      rowid: number;
      configId: string;
    }>;
    const until = now + query.leaseMs;
    // Read inside the claim's transaction, like the rows: the versions the claimed rows go with.
    const versions = new Map<string, number | null>();
    const versionOf = (configId: string): number | null => {
      let version = versions.get(configId);
      if (version === undefined) {
        version = (q.version.get(configId) as number | undefined) ?? null;
        versions.set(configId, version);
      }
      return version;
    };
    return withinCaps(candidates, limits).map(({ rowid, configId }) =>
      toClaimed(q.lease.get(randomUUID(), until, now, rowid) as DeliveryRow, versionOf(configId)),
    );
  });

  // Runs inside the caller's transaction: `settle` (one claim) or `settleMany` (group commit).
  const settleOne = (id: string, token: string, s: Settlement): boolean => {
    const now = clock.now();
    const counted = s.attempt === undefined ? 0 : 1;
    const next = s.next;
    const seq = (
      next.status === "delivered"
        ? q.delivered.get(now, now, counted, id, token)
        : next.status === "pending"
          ? q.retry.get(now, now + next.retryInMs, counted, id, token)
          : q.dead.get(now, now, next.reason, counted, id, token)
    ) as number | undefined;
    if (seq === undefined) return false;
    const a = s.attempt;
    if (a !== undefined) {
      q.attempt.run(
        id,
        seq,
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
      return commits.lease("claimDeliveries", () => claim.immediate(query));
    },
    async renewLease(id, claimToken, leaseMs) {
      return commits.lease("renewLease", () => q.renew.run(clock.now() + leaseMs, id, claimToken).changes > 0);
    },
    async settleDelivery(id, claimToken, settlement) {
      return commits.durable("settleDelivery", () => settle.immediate(id, claimToken, settlement));
    },
    async settleDeliveries(items) {
      return commits.durable("settleDeliveries", () => settleMany.immediate(items));
    },
  };
}
