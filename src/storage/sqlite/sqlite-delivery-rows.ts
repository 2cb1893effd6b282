import { type MsDeliveryRow, toClaimed as claimedOf, toDelivery as deliveryOf } from "../delivery-row.js";
import type { AttemptRecord, ClaimedDelivery, DeliveryRecord } from "../storage.js";

/** A row of `fw_deliveries`: times in epoch milliseconds, `identities` as JSON text. */
export interface DeliveryRow extends MsDeliveryRow {
  identities: string;
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
 * A row as the port shows a delivery (without its attempt log).
 *
 * @example
 * ```ts
 * const record = { ...toDelivery(row), attemptLog: [] };
 * ```
 */
export function toDelivery(row: DeliveryRow): Omit<DeliveryRecord, "attemptLog"> {
  return deliveryOf(row, JSON.parse(row.identities) as string[]);
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
  return claimedOf(row, JSON.parse(row.identities) as string[], configVersion);
}
