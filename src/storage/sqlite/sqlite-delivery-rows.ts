import type { AttemptRecord, ClaimedDelivery, DeliveryRecord, DeliveryStatus } from "../storage.js";

/** A row of `fw_deliveries`: times in epoch milliseconds. */
export interface DeliveryRow {
  id: string;
  config_id: string;
  org_id: string;
  sandbox_name: string;
  request_id: string;
  idempotency_key: string;
  identities: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: number;
  updated_at: number;
  available_at: number;
  round_started_at: number;
  round_attempt_base: number;
  delivered_at: number | null;
  dead_at: number | null;
  dead_reason: string | null;
  claim_token: string | null;
}

/** A row of `fw_attempts`. */
export interface AttemptRow {
  attempt: number;
  started_at: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
}

const date = (ms: number | null) => (ms === null ? undefined : new Date(ms));

/**
 * One attempt as the port shows it. Optional fields are present (as `undefined`) when NULL,
 * like the record the dispatcher handed in.
 *
 * @example
 * ```ts
 * const log = attemptRows.map(toAttempt);
 * ```
 */
export function toAttempt(row: AttemptRow): AttemptRecord {
  return {
    attempt: row.attempt,
    startedAt: new Date(row.started_at),
    durationMs: row.duration_ms,
    statusCode: row.status_code ?? undefined,
    error: row.error ?? undefined,
    responseBody: row.response_body ?? undefined,
  };
}

/**
 * A delivery row as the port shows it, without its attempt log.
 *
 * @example
 * ```ts
 * const record = { ...toDelivery(row), attemptLog: [] };
 * ```
 */
export function toDelivery(row: DeliveryRow): Omit<DeliveryRecord, "attemptLog"> {
  return {
    id: row.id,
    configId: row.config_id,
    orgId: row.org_id,
    sandboxName: row.sandbox_name,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    identities: JSON.parse(row.identities) as string[],
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    availableAt: new Date(row.available_at),
    roundStartedAt: new Date(row.round_started_at),
    roundAttemptBase: row.round_attempt_base,
    deliveredAt: date(row.delivered_at),
    deadAt: date(row.dead_at),
    deadReason: row.dead_reason ?? undefined,
  };
}

/**
 * A freshly claimed row as the port shows it: with its fencing token and `configVersion`, the
 * version of its configuration that the claim read (null: no such configuration).
 *
 * @example
 * ```ts
 * const claimed = toClaimed(leasedRow, 3);
 * ```
 */
export function toClaimed(row: DeliveryRow, configVersion: number | null): ClaimedDelivery {
  // Field by field, not `{ ...toDelivery(row), … }`: one object per claimed row instead of two
  // and a spread copy, on the dispatcher's hot path. The same fields as `toDelivery`.
  return {
    id: row.id,
    configId: row.config_id,
    orgId: row.org_id,
    sandboxName: row.sandbox_name,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    identities: JSON.parse(row.identities) as string[],
    body: row.body,
    status: "in_flight",
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    availableAt: new Date(row.available_at),
    roundStartedAt: new Date(row.round_started_at),
    roundAttemptBase: row.round_attempt_base,
    deliveredAt: date(row.delivered_at),
    deadAt: date(row.dead_at),
    deadReason: row.dead_reason ?? undefined,
    claimToken: row.claim_token!,
    configVersion,
  };
}
