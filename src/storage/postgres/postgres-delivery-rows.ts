import { toClaimed as claimedOf } from "../delivery-row.js";
import type { AttemptRecord, ClaimedDelivery, DeliveryRecord, DeliveryStatus } from "../storage.js";

/** A row of `deliveries` as `pg` returns it (`timestamptz` → `Date`, `text[]` → array). */
export interface PgDeliveryRow {
  id: string;
  config_id: string;
  org_id: string;
  sandbox_name: string;
  request_id: string;
  idempotency_key: string;
  identities: string[];
  body: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: Date;
  updated_at: Date;
  available_at: Date;
  round_started_at: Date;
  round_attempt_base: number;
  delivered_at: Date | null;
  dead_at: Date | null;
  dead_reason: string | null;
  claim_token: string | null;
}

/**
 * A row leased by a claim, as {@link CLAIMED_COLUMNS} selects it: its times in epoch
 * milliseconds, and the version of its configuration (null: none).
 */
export interface PgClaimedRow extends Omit<PgDeliveryRow, TimeColumn> {
  created_at: number;
  updated_at: number;
  available_at: number;
  round_started_at: number;
  delivered_at: number | null;
  dead_at: number | null;
  config_version: number | null;
}

type TimeColumn = "created_at" | "updated_at" | "available_at" | "round_started_at" | "delivered_at" | "dead_at";

/**
 * `t` (a timestamptz) as epoch milliseconds, cut to the millisecond like `pg`'s own parsing
 * into a `Date`: a float8 parses with `Number`, a timestamptz with a regular expression and
 * the date arithmetic of a `Date` per column.
 */
export const epochMs = (t: string) => `floor(extract(epoch FROM ${t}) * 1000)::float8`;

/**
 * The select list of a claimed row, from the alias `d`: every column of {@link PgDeliveryRow},
 * the times in epoch milliseconds (see {@link epochMs}); a claim returns one row per delivery
 * it leases, on the dispatcher's hot path. Columns named, not `d.*`, in a prepared statement: a
 * column added by a later migration would otherwise change the result type under the cached
 * plan, which PostgreSQL rejects.
 */
export const CLAIMED_COLUMNS = [
  "d.id, d.config_id, d.org_id, d.sandbox_name, d.request_id, d.idempotency_key, d.identities, d.body",
  "d.status, d.attempts, d.round_attempt_base, d.dead_reason, d.claim_token",
  ...["created_at", "updated_at", "available_at", "round_started_at", "delivered_at", "dead_at"].map(
    (c) => `${epochMs(`d.${c}`)} AS ${c}`,
  ),
].join(", ");

/** One element of the `attempt_log` JSON array built by {@link withAttemptLog}. */
interface AttemptJson {
  attempt: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
}

/**
 * A select list of every delivery column plus its attempt log as one JSON array, so a delivery
 * and its log are read in one statement (one snapshot). Times in the log are epoch milliseconds.
 *
 * @example
 * ```ts
 * await db.query("getDelivery", `SELECT ${withAttemptLog(s)} FROM ${s}.deliveries d WHERE d.id = $1`, [id]);
 * ```
 */
export function withAttemptLog(s: string): string {
  return `d.*, COALESCE((
    SELECT json_agg(json_build_object(
      'attempt', a.attempt, 'startedAt', floor(extract(epoch FROM a.started_at) * 1000)::float8,
      'durationMs', a.duration_ms, 'statusCode', a.status_code, 'error', a.error, 'responseBody', a.response_body
    ) ORDER BY a.seq)
    FROM ${s}.attempts a WHERE a.delivery_id = d.id), '[]'::json) AS attempt_log`;
}

const toAttempt = (a: AttemptJson): AttemptRecord => ({
  attempt: a.attempt,
  startedAt: new Date(a.startedAt),
  durationMs: a.durationMs,
  statusCode: a.statusCode ?? undefined,
  error: a.error ?? undefined,
  responseBody: a.responseBody ?? undefined,
});

function toDelivery(row: PgDeliveryRow): Omit<DeliveryRecord, "attemptLog"> {
  return {
    id: row.id,
    configId: row.config_id,
    orgId: row.org_id,
    sandboxName: row.sandbox_name,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    identities: row.identities,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    availableAt: row.available_at,
    roundStartedAt: row.round_started_at,
    roundAttemptBase: row.round_attempt_base,
    deliveredAt: row.delivered_at ?? undefined,
    deadAt: row.dead_at ?? undefined,
    deadReason: row.dead_reason ?? undefined,
  };
}

/**
 * A row selected with {@link withAttemptLog} as the port shows it.
 *
 * @example
 * ```ts
 * const records = rows.map(toDeliveryRecord);
 * ```
 */
export function toDeliveryRecord(row: PgDeliveryRow & { attempt_log: AttemptJson[] }): DeliveryRecord {
  return { ...toDelivery(row), attemptLog: row.attempt_log.map(toAttempt) };
}

/**
 * A freshly claimed row as the port shows it: with its fencing token and its configuration's version.
 *
 * @example
 * ```ts
 * const claimed = rows.map(toClaimed);
 * ```
 */
export function toClaimed(row: PgClaimedRow): ClaimedDelivery {
  return claimedOf(row, row.identities, row.config_version);
}
