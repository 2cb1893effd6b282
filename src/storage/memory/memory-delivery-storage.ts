import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock.js";
import { claimLimits, withinCaps } from "../claim-limits.js";
import type {
  ClaimedDelivery,
  ClaimQuery,
  DeliveryBacklog,
  DeliveryRecord,
  DeliveryStorage,
  EnqueueOptions,
  ExpiredDelivery,
  EnqueueResult,
  ListDeliveriesQuery,
  NewDelivery,
  PruneQuery,
  Settlement,
  SettleItem,
} from "../storage.js";
import { DueQueue } from "./due-queue.js";
import { backlogOf } from "./memory-backlog.js";
import type { EndpointStateMethods, MemoryEndpointStates } from "./memory-endpoint-states.js";
import { claimedOf, copyAttempt, type MemoryRow as Row, newRow, recordOf } from "./memory-row.js";

/**
 * Deliveries, attempts, idempotency keys and endpoint states in process memory. Every method
 * runs without an `await` between its reads and writes, so each is atomic on the event loop.
 * Rows are copied in and out (see `MemoryRow`): callers never share mutable state with it.
 * Claimable rows are also kept in a {@link DueQueue}, so a claim does not scan every row.
 *
 * @example
 * ```ts
 * const clock = createManualClock();
 * const deliveries = new MemoryDeliveryStorage(clock, new MemoryEndpointStates(clock));
 * await deliveries.enqueueDeliveries([delivery], { idempotencyWindowMs: 86_400_000 });
 * ```
 */
export class MemoryDeliveryStorage implements Omit<DeliveryStorage, EndpointStateMethods> {
  readonly #rows = new Map<string, Row>();
  readonly #keys = new Map<string, { id: string; expiresAt: number }>();
  // Mirrors every `pending` / `in_flight` row's `availableAt`: each write of it goes through #due.
  readonly #due = new DueQueue<Row>();
  readonly #clock: Clock;
  readonly #endpoints: MemoryEndpointStates;
  readonly #configVersion: ((configId: string) => number | undefined) | undefined;

  /**
   * @param configVersion reads the stored version of a configuration (synchronously, so a claim
   *   reports it atomically); without it, claimed deliveries carry no `configVersion`.
   */
  constructor(clock: Clock, endpoints: MemoryEndpointStates, configVersion?: (configId: string) => number | undefined) {
    this.#clock = clock;
    this.#endpoints = endpoints;
    this.#configVersion = configVersion;
  }

  async enqueueDeliveries(deliveries: readonly NewDelivery[], options: EnqueueOptions): Promise<EnqueueResult[]> {
    const now = this.#clock.now();
    const results: EnqueueResult[] = [];
    for (const delivery of deliveries) {
      const held = this.#keys.get(delivery.idempotencyKey);
      if (held !== undefined && held.expiresAt > now && this.#rows.has(held.id)) {
        results.push({ id: held.id, created: false });
        continue;
      }
      const row = newRow(delivery, now);
      this.#rows.set(row.id, row);
      this.#due.schedule(row, now, now);
      this.#keys.set(delivery.idempotencyKey, { id: delivery.id, expiresAt: now + options.idempotencyWindowMs });
      results.push({ id: delivery.id, created: true });
    }
    return results;
  }

  async claimDeliveries(query: ClaimQuery): Promise<ClaimedDelivery[]> {
    const now = this.#clock.now();
    const limits = claimLimits(query);
    const excluded = new Set(limits.excluded);
    // The same candidate window as the SQL adapters, so the dispatcher behaves alike on all three.
    const candidates = this.#due.take(
      now,
      limits.window,
      (configId) => excluded.has(configId) || this.#endpoints.isBlocked(configId, now),
    );
    // `chosen` keeps the candidates' order, so one walk tells them apart. Every candidate goes back
    // into the queue: a leased one at its lease expiry, the others as they were.
    const chosen = withinCaps(candidates, limits);
    const leases: ClaimedDelivery[] = [];
    for (const row of candidates) {
      if (chosen[leases.length] !== row) {
        this.#due.schedule(row, row.availableAt.getTime(), now);
        continue;
      }
      const claimToken = randomUUID();
      row.status = "in_flight";
      row.claimToken = claimToken;
      row.availableAt = new Date(now + query.leaseMs);
      this.#due.schedule(row, now + query.leaseMs, now);
      row.updatedAt = new Date(now);
      const lease = claimedOf(row, claimToken);
      if (this.#configVersion) lease.configVersion = this.#configVersion(row.configId) ?? null;
      leases.push(lease);
    }
    return leases;
  }

  async renewLease(id: string, claimToken: string, leaseMs: number): Promise<boolean> {
    const row = this.#held(id, claimToken);
    if (row === undefined) return false;
    const now = this.#clock.now();
    row.availableAt = new Date(now + leaseMs);
    this.#due.schedule(row, now + leaseMs, now);
    return true;
  }

  async settleDelivery(id: string, claimToken: string, settlement: Settlement): Promise<boolean> {
    return this.#settle(id, claimToken, settlement);
  }

  /** All items in one synchronous pass: atomic on the event loop, fenced per item. */
  async settleDeliveries(items: readonly SettleItem[]): Promise<boolean[]> {
    return items.map((item) => this.#settle(item.id, item.claimToken, item.settlement));
  }

  #settle(id: string, claimToken: string, settlement: Settlement): boolean {
    const row = this.#held(id, claimToken);
    if (row === undefined) return false;
    const now = new Date(this.#clock.now());
    if (settlement.attempt !== undefined) {
      row.attemptLog.push(copyAttempt(settlement.attempt));
      row.attempts += 1;
    }
    const next = settlement.next;
    row.status = next.status;
    row.updatedAt = now;
    row.claimToken = undefined;
    if (next.status === "pending") {
      row.availableAt = new Date(now.getTime() + next.retryInMs);
      this.#due.schedule(row, now.getTime() + next.retryInMs, now.getTime());
    } else {
      this.#due.remove(row);
    }
    if (next.status === "delivered") row.deliveredAt = now;
    if (next.status === "dead") {
      row.deadAt = now;
      row.deadReason = next.reason;
    }
    return true;
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const row = this.#rows.get(id);
    return row === undefined ? undefined : recordOf(row);
  }

  async listDeliveries(query: ListDeliveriesQuery): Promise<DeliveryRecord[]> {
    const matches = (row: Row) =>
      (query.status === undefined || row.status === query.status) &&
      (query.requestId === undefined || row.requestId === query.requestId) &&
      (query.orgId === undefined || row.orgId === query.orgId) &&
      (query.configId === undefined || row.configId === query.configId) &&
      (query.since === undefined || row.createdAt.getTime() >= query.since.getTime()) &&
      (query.cursor === undefined || row.id < query.cursor);
    return [...this.#rows.values()]
      .filter(matches)
      .sort((a, b) => (a.id < b.id ? 1 : -1))
      .slice(0, Math.max(0, query.limit))
      .map(recordOf);
  }

  async redeliverDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const row = this.#rows.get(id);
    if (row === undefined) return undefined;
    if (row.status === "dead") this.#revive(row, this.#clock.now());
    return recordOf(row);
  }

  async redeliverDead(query: { since: Date; limit: number }): Promise<number> {
    const now = this.#clock.now();
    const rows = [...this.#rows.values()]
      .filter((row) => row.status === "dead" && (row.deadAt?.getTime() ?? 0) >= query.since.getTime())
      .slice(0, Math.max(0, query.limit));
    for (const row of rows) this.#revive(row, now);
    return rows.length;
  }

  async expireDeliveries(query: { maxAgeMs: number; limit: number }): Promise<ExpiredDelivery[]> {
    const now = this.#clock.now();
    const rows = [...this.#rows.values()]
      .filter((row) => row.status === "pending" || (row.status === "in_flight" && row.availableAt.getTime() <= now))
      .filter((row) => row.roundStartedAt.getTime() + query.maxAgeMs <= now)
      .slice(0, Math.max(0, query.limit));
    for (const row of rows) {
      row.status = "dead";
      row.deadAt = new Date(now);
      row.deadReason = "max_age";
      row.updatedAt = new Date(now);
      row.claimToken = undefined;
      this.#due.remove(row);
    }
    return rows
      .map(({ id, configId, orgId, sandboxName, requestId, attempts, createdAt }) => ({
        id,
        configId,
        orgId,
        sandboxName,
        requestId,
        attempts,
        createdAt: new Date(createdAt),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async pruneDeliveries(query: PruneQuery): Promise<number> {
    const now = this.#clock.now();
    const old = (at: Date | undefined, ms: number) => at !== undefined && at.getTime() + ms <= now;
    const rows = [...this.#rows.values()]
      .filter(
        (row) =>
          (row.status === "delivered" && old(row.deliveredAt, query.deliveredOlderThanMs)) ||
          (row.status === "dead" && old(row.deadAt, query.deadOlderThanMs)),
      )
      .slice(0, Math.max(0, query.limit));
    for (const row of rows) this.#delete(row);
    for (const [key, held] of this.#keys) if (held.expiresAt <= now) this.#keys.delete(key);
    return rows.length;
  }

  async purgeDeliveries(query: { identity: string }): Promise<number> {
    const rows = [...this.#rows.values()].filter((row) => row.identities.includes(query.identity));
    for (const row of rows) this.#delete(row);
    return rows.length;
  }

  async deliveryBacklog(): Promise<DeliveryBacklog[]> {
    return backlogOf(this.#rows.values(), this.#clock.now());
  }

  #held(id: string, claimToken: string): Row | undefined {
    const row = this.#rows.get(id);
    return row?.status === "in_flight" && row.claimToken === claimToken ? row : undefined;
  }

  #revive(row: Row, now: number): void {
    const at = new Date(now);
    row.status = "pending";
    row.availableAt = at;
    row.updatedAt = at;
    row.roundStartedAt = at;
    row.roundAttemptBase = row.attempts;
    row.deadAt = undefined;
    row.deadReason = undefined;
    this.#due.schedule(row, now, now);
  }

  #delete(row: Row): void {
    this.#rows.delete(row.id);
    this.#due.remove(row);
    if (this.#keys.get(row.idempotencyKey)?.id === row.id) this.#keys.delete(row.idempotencyKey);
  }
}
