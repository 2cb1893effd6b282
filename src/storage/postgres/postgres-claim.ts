import { claimLimits } from "../claim-limits.js";
import type { ClaimedDelivery, ClaimQuery } from "../storage.js";
import type { PgConnection } from "./postgres-connection.js";
import { CLAIMED_COLUMNS, epochMs, type PgClaimedRow, toClaimed } from "./postgres-delivery-rows.js";

/** Planner settings of the claim's transaction: see "The ordered walk is forced" below. */
const ORDERED_WALK = "SET LOCAL enable_sort = off; SET LOCAL jit = off;";

/** The claim statement's text in schema `s` (see {@link claimDeliveries}). */
function claimStatement(s: string): string {
  return `WITH candidates AS (
         SELECT d.id, d.config_id, d.available_at
         FROM ${s}.deliveries d
         WHERE d.status IN ('pending', 'in_flight') AND d.available_at <= now()
           AND d.config_id <> ALL ($2::text[])
           AND NOT EXISTS (SELECT 1 FROM ${s}.endpoints e WHERE e.config_id = d.config_id
                           AND (e.suspended_reason IS NOT NULL OR e.paused_until > now()))
         ORDER BY d.available_at, d.id
         LIMIT $4
         FOR UPDATE OF d SKIP LOCKED
       ), ranked AS (
         SELECT id, config_id, available_at,
                row_number() OVER (PARTITION BY config_id ORDER BY available_at, id) AS n
         FROM candidates
       ), due AS (
         SELECT id, available_at AS was_due FROM ranked
         WHERE n <= coalesce(($6::jsonb ->> config_id)::bigint, $5::bigint)
         ORDER BY available_at, id
         LIMIT $1
       )
       UPDATE ${s}.deliveries d
       SET status = 'in_flight', claim_token = gen_random_uuid()::text, updated_at = now(),
           available_at = now() + $3::float8 * interval '1 millisecond'
       FROM due WHERE d.id = due.id
       RETURNING ${CLAIMED_COLUMNS}, ${epochMs("due.was_due")} AS was_due,
         (SELECT c.version FROM ${s}.configs c WHERE c.id = d.config_id) AS config_version`;
}

/**
 * The claim statement. Trade-offs, in the order a reader meets them:
 *
 * - `FOR UPDATE ... SKIP LOCKED`: concurrent claimers never wait for each other and never get the
 *   same row — each skips rows another claimer has locked and takes the next ones. The price: a
 *   claimer can come back with fewer than `limit` rows while others hold locks, and order is
 *   only "oldest first" per claimer, not a strict FIFO across the fleet (the port promises no
 *   ordering anyway). Under READ COMMITTED, a row that another claimer committed after our
 *   snapshot is re-checked against the WHERE clause once locked (it is now `in_flight` with a
 *   future `available_at`), so it is dropped, not claimed twice.
 * - A lease instead of a long transaction: the claim commits at once and the HTTP request runs
 *   outside any transaction. Holding the row lock for the request would pin a connection per
 *   delivery and hold back vacuum; the lease costs a possible second delivery when a worker
 *   stalls past `available_at` (at-least-once), which `renewLease` and the claim-token fence keep
 *   rare and harmless.
 * - `now()` is the database's clock: every machine computes lease expiry from the same clock,
 *   whatever its own drift. It is the transaction's start time, which is what a claim needs.
 * - The partial index `deliveries_due (available_at, id) WHERE status IN (...)` serves the ORDER
 *   BY + LIMIT directly; paused or suspended endpoints are filtered per row, which is cheap while
 *   few endpoints are paused (a long outage piles rows up in front: `expireDeliveries` bounds it).
 * - The ordered walk is forced: the statement runs in a transaction with `enable_sort = off`
 *   (`SET LOCAL`, so for this statement's planning only). The planner otherwise trusts its row
 *   estimates, and they are badly low exactly when a claim matters: right after a bulk enqueue
 *   into a table never analyzed, or analyzed while nothing was pending (the default or stale
 *   selectivity of `status IN (...)` says "a few rows"), or with an `endpoints` table whose
 *   statistics make the NOT EXISTS look like it rejects almost every row. Believing that only a
 *   few rows are due, it bitmap-scans (or scans another index) and sorts EVERY due row before the
 *   LIMIT: a claim then costs O(due rows) — 13 ms at 10,000, more at 100,000 — until autovacuum
 *   catches up. Walking `deliveries_due` in order costs O(window) whatever the statistics, so no
 *   other plan is ever better. Every plan of this statement has the two sorts of `ranked` and
 *   `due` (over at most the window), so only the plans that sort the due rows are pushed out;
 *   `jit = off` because the penalty, added to the cost, would otherwise start a JIT compilation
 *   (hundreds of ms) on PostgreSQL before 18. The price: a transaction of three round trips
 *   (BEGIN with the settings, the claim, COMMIT) instead of one statement.
 * - Per-configuration caps (`perConfigLimit`, `configLimits`, passed as one jsonb object) are
 *   applied to a bounded candidate set: the index walk locks at most `limit * CANDIDATE_FACTOR`
 *   due rows, `row_number() OVER (PARTITION BY config_id ...)` ranks them per configuration, and
 *   only rows within their configuration's cap are leased, up to `limit`. The cost stays flat as
 *   the table grows; the price is that rows beyond the window are not seen this round — a claim
 *   can return fewer than `limit` while more are due behind capped configurations, and the next
 *   round (which excludes the now saturated ones) leases them. Excluded configurations are
 *   filtered per row like paused ones, so that round walks past their due rows: the dispatcher
 *   does it at most once per poll interval. Candidates locked but not leased are skipped by
 *   concurrent claimers only until this claim's transaction commits.
 * - `RETURNING` also reads each leased delivery's configuration version in the same statement
 *   (same snapshot), so the dispatcher knows without another query whether the configuration it
 *   decoded before is still the current one.
 * - Prepared (see `PgStatement`): parsed once per connection, and planned once PostgreSQL settles
 *   on a generic plan. Every execution runs inside the transaction above, so that plan too is
 *   made with `enable_sort = off` and keeps the ordered walk (the plan cache replans on schema
 *   changes, not on settings, and the settings are the same each time anyway).
 * - `RETURNING` gives times as epoch milliseconds (see `CLAIMED_COLUMNS`): one row per leased
 *   delivery, and a float is cheaper than a timestamptz for the server to print and for `pg` to parse.
 *
 * @example
 * ```ts
 * const claimed = await claimDeliveries(connection, { limit: 10, leaseMs: 60_000 });
 * ```
 */
export async function claimDeliveries(db: PgConnection, query: ClaimQuery): Promise<ClaimedDelivery[]> {
  const limits = claimLimits(query);
  const { rows } = await db.transactionWith("claimDeliveries", ORDERED_WALK, (client) =>
    client.query<PgClaimedRow & { was_due: number }>(db.statement("claim", claimStatement), [
      limits.limit,
      limits.excluded,
      query.leaseMs,
      limits.window,
      limits.perConfig,
      JSON.stringify(Object.fromEntries(limits.caps)),
    ]),
  );
  // UPDATE ... RETURNING has no order: restore "oldest due first".
  rows.sort((a, b) => a.was_due - b.was_due || (a.id < b.id ? -1 : 1));
  return rows.map(toClaimed);
}
