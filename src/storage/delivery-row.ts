import type { ClaimedDelivery, DeliveryRecord, DeliveryStatus } from "./delivery-storage.js";

/**
 * A delivery row as both SQL storages read it on the hot path: snake-case columns, times in
 * epoch milliseconds (SQLite stores them so; the PostgreSQL claim selects them so). `identities`
 * is left out: SQLite keeps it as JSON text, PostgreSQL as `text[]`; the caller decodes it.
 */
export interface MsDeliveryRow {
  id: string;
  config_id: string;
  org_id: string;
  sandbox_name: string;
  request_id: string;
  idempotency_key: string;
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

const dateOrUndefined = (ms: number | null) => (ms === null ? undefined : new Date(ms));

/**
 * A row as the port shows a delivery (without its attempt log). Optional fields are present (as
 * `undefined`) when NULL.
 *
 * @example
 * ```ts
 * const record = { ...toDelivery(row, JSON.parse(row.identities)), attemptLog: [] };
 * ```
 */
export function toDelivery(row: MsDeliveryRow, identities: string[]): Omit<DeliveryRecord, "attemptLog"> {
  return {
    id: row.id,
    configId: row.config_id,
    orgId: row.org_id,
    sandboxName: row.sandbox_name,
    requestId: row.request_id,
    idempotencyKey: row.idempotency_key,
    identities,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    availableAt: new Date(row.available_at),
    roundStartedAt: new Date(row.round_started_at),
    roundAttemptBase: row.round_attempt_base,
    deliveredAt: dateOrUndefined(row.delivered_at),
    deadAt: dateOrUndefined(row.dead_at),
    deadReason: row.dead_reason ?? undefined,
  };
}

/**
 * A freshly leased row as the port shows it: with its fencing token and `configVersion`, the
 * version of its configuration the claim read (null: no such configuration). Completes the
 * object {@link toDelivery} builds instead of spreading it into a second one: this runs once
 * per claimed delivery.
 *
 * @example
 * ```ts
 * const claimed = toClaimed(leasedRow, leasedRow.identities, 3);
 * ```
 */
export function toClaimed(row: MsDeliveryRow, identities: string[], configVersion: number | null): ClaimedDelivery {
  const delivery = toDelivery(row, identities);
  return Object.assign(delivery, { status: "in_flight" as const, claimToken: row.claim_token!, configVersion });
}
