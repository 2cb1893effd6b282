import type { ExpiredDelivery } from "./delivery-storage.js";

/** The columns both SQL storages return for an expired delivery (`created_at`: ms or a Date). */
export interface ExpiredRow {
  id: string;
  config_id: string;
  org_id: string;
  sandbox_name: string;
  request_id: string;
  attempts: number;
  created_at: number | Date;
}

/** The `RETURNING` list that selects an {@link ExpiredRow}. */
export const EXPIRED_COLUMNS = "id, config_id, org_id, sandbox_name, request_id, attempts, created_at";

/**
 * Turns the rows an expiring UPDATE returned into the port's {@link ExpiredDelivery} list, oldest
 * id first (`RETURNING` has no order).
 *
 * @example
 * ```ts
 * toExpired(db.prepare(`UPDATE … RETURNING ${EXPIRED_COLUMNS}`).all(params) as ExpiredRow[]);
 * ```
 */
export function toExpired(rows: readonly ExpiredRow[]): ExpiredDelivery[] {
  return rows
    .map((r) => ({
      id: r.id,
      configId: r.config_id,
      orgId: r.org_id,
      sandboxName: r.sandbox_name,
      requestId: r.request_id,
      attempts: r.attempts,
      createdAt: new Date(r.created_at),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
