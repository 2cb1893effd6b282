import type { DeliveryBacklog, DeliveryRecord } from "../storage.js";

/**
 * `deliveryBacklog` of the memory storage: one pass over every row, grouped by configuration.
 *
 * @example
 * ```ts
 * const backlog = backlogOf(rows.values(), clock.now());
 * ```
 */
export function backlogOf(rows: Iterable<DeliveryRecord>, now: number): DeliveryBacklog[] {
  const byConfig = new Map<string, DeliveryBacklog>();
  for (const row of rows) {
    if (row.status === "delivered") continue;
    let entry = byConfig.get(row.configId);
    if (entry === undefined) {
      entry = { configId: row.configId, pending: 0, inFlight: 0, dead: 0 };
      byConfig.set(row.configId, entry);
    }
    if (row.status === "dead") entry.dead += 1;
    else if (row.status === "in_flight") entry.inFlight += 1;
    else {
      entry.pending += 1;
      const age = now - row.availableAt.getTime();
      if (age >= 0 && age > (entry.oldestDueAgeMs ?? -1)) entry.oldestDueAgeMs = age;
    }
  }
  return [...byConfig.values()].sort((a, b) => (a.configId < b.configId ? -1 : 1));
}
