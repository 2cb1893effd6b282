import type { SettleItem } from "../storage.js";
import type { PgConnection } from "./postgres-connection.js";

/**
 * The statement that settles a set of claims with DISTINCT ids, passed as parallel arrays (one
 * element per item): one fenced UPDATE over all of them, and one INSERT of the attempt rows of
 * the items whose fence held. It returns the ids it settled. A stale token matches no row and
 * writes nothing; as one statement, the updates and the attempt log commit together or not at all.
 * Arrays, not JSON: `pg` encodes their strings exactly as it encodes a scalar text parameter.
 * Its text is the same whatever the batch, so it runs prepared (see `PgStatement`).
 */
function settleStatement(s: string): string {
  return `WITH items AS (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::text[], $6::int[],
                           $7::timestamptz[], $8::float8[], $9::int[], $10::text[], $11::text[])
        AS i (id, claim_token, status, retry_ms, dead_reason, attempt, started_at, duration_ms,
              status_code, error, response_body)
    ), settled AS (
      UPDATE ${s}.deliveries d SET
        status = i.status, updated_at = now(), claim_token = NULL,
        attempts = d.attempts + CASE WHEN i.attempt IS NULL THEN 0 ELSE 1 END,
        available_at = CASE WHEN i.status = 'pending' THEN now() + i.retry_ms * interval '1 millisecond'
                       ELSE d.available_at END,
        delivered_at = CASE WHEN i.status = 'delivered' THEN now() ELSE d.delivered_at END,
        dead_at = CASE WHEN i.status = 'dead' THEN now() ELSE d.dead_at END,
        dead_reason = CASE WHEN i.status = 'dead' THEN i.dead_reason ELSE d.dead_reason END
      FROM items i
      WHERE d.id = i.id AND d.status = 'in_flight' AND d.claim_token = i.claim_token
      RETURNING d.id, d.attempts, i.attempt, i.started_at, i.duration_ms, i.status_code, i.error, i.response_body
    ), logged AS (
      INSERT INTO ${s}.attempts (delivery_id, seq, attempt, started_at, duration_ms, status_code, error, response_body)
      SELECT id, attempts, attempt, started_at, duration_ms, status_code, error, response_body
      FROM settled WHERE attempt IS NOT NULL
    )
    SELECT id FROM settled`;
}

/** The statement's parameters: one array per column, one element per item. */
function settleParams(items: readonly SettleItem[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 11 }, () => new Array<unknown>(items.length));
  for (const [k, { id, claimToken, settlement }] of items.entries()) {
    const { attempt: a, next } = settlement;
    const row = [
      id,
      claimToken,
      next.status,
      next.status === "pending" ? next.retryInMs : null,
      next.status === "dead" ? next.reason : null,
      a?.attempt ?? null,
      a?.startedAt ?? null,
      a?.durationMs ?? null,
      a?.statusCode ?? null,
      a?.error ?? null,
      a?.responseBody ?? null,
    ];
    for (const [c, value] of row.entries()) columns[c]![k] = value;
  }
  return columns;
}

/**
 * Cuts `items` into runs of distinct ids, in order: a run starts again at an id the current run
 * already holds. One statement cannot apply two outcomes to one row in order; two statements,
 * one per run, do — the later item then sees the earlier one's write, as item-by-item settles would.
 */
function distinctRuns(items: readonly SettleItem[]): { items: SettleItem[]; at: number[] }[] {
  const runs: { items: SettleItem[]; at: number[] }[] = [];
  let ids = new Set<string>();
  for (const [k, item] of items.entries()) {
    if (runs.length === 0 || ids.has(item.id)) {
      runs.push({ items: [], at: [] });
      ids = new Set();
    }
    ids.add(item.id);
    runs.at(-1)!.items.push(item);
    runs.at(-1)!.at.push(k);
  }
  return runs;
}

const settledIds = ({ rows }: { rows: { id: string }[] }) => new Set(rows.map((r) => r.id));

/**
 * Settles claims, fenced per item, and returns one result per item in input order (true: the
 * token still held the lease and the outcome is committed). Set-based: a batch of distinct ids
 * is ONE statement — one round trip and one commit whatever its size, instead of an UPDATE and
 * an INSERT per item inside BEGIN/COMMIT. A batch that names an id twice runs one statement per
 * run of distinct ids (see {@link distinctRuns}) inside one transaction. `what` names the
 * operation in errors.
 *
 * @example
 * ```ts
 * const [settled] = await settleDeliveries(connection, [{ id, claimToken, settlement: { next: { status: "delivered" } } }]);
 * ```
 */
export async function settleDeliveries(
  db: PgConnection,
  items: readonly SettleItem[],
  what = "settleDeliveries",
): Promise<boolean[]> {
  const statement = db.statement("settle", settleStatement);
  const runs = distinctRuns(items);
  const results = new Array<boolean>(items.length);
  const apply = (run: (typeof runs)[number], settled: Set<string>) => {
    for (const [j, item] of run.items.entries()) results[run.at[j]!] = settled.has(item.id);
  };
  if (runs.length === 1) {
    apply(runs[0]!, settledIds(await db.query<{ id: string }>(what, statement, settleParams(items))));
  } else if (runs.length > 1) {
    await db.transaction(what, async (client) => {
      for (const run of runs) {
        apply(run, settledIds(await client.query<{ id: string }>(statement, settleParams(run.items))));
      }
    });
  }
  return results;
}
