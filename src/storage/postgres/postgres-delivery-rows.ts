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

/** A row leased by a claim: the delivery and the version of its configuration (null: none). */
export interface PgClaimedRow extends PgDeliveryRow {
  config_version: number | null;
}

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
  return { ...toDelivery(row), status: "in_flight", claimToken: row.claim_token!, configVersion: row.config_version };
}
