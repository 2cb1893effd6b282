import type { DeliveryBacklog } from "./delivery-storage.js";

/** The per-config backlog row both SQL storages select (`oldest` in ms, null when nothing is due). */
export interface BacklogRow {
  config_id: string;
  pending: number;
  in_flight: number;
  dead: number;
  oldest: number | null;
}

/**
 * Turns a backlog row into the port's {@link DeliveryBacklog}.
 *
 * @example
 * ```ts
 * toBacklog({ config_id: "c", pending: 2, in_flight: 0, dead: 0, oldest: null }); // { configId: "c", pending: 2, … }
 * ```
 */
export function toBacklog(r: BacklogRow): DeliveryBacklog {
  const entry: DeliveryBacklog = { configId: r.config_id, pending: r.pending, inFlight: r.in_flight, dead: r.dead };
  if (r.oldest !== null) entry.oldestDueAgeMs = r.oldest;
  return entry;
}
