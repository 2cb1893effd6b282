import type { AttemptRecord, ClaimedDelivery, DeliveryRecord, NewDelivery } from "../storage.js";
import type { DueRow } from "./due-lane.js";

/**
 * A delivery as the memory storage keeps it. Every field is always present (`undefined` when
 * unset) and none is ever deleted, so all rows share one object shape and stay fast to read and
 * write. Dates are replaced, never mutated; arrays and dates are copied whenever a row is read
 * or written, so callers never share mutable state with the storage.
 */
export interface MemoryRow extends DueRow {
  id: string;
  configId: string;
  orgId: string;
  sandboxName: string;
  requestId: string;
  idempotencyKey: string;
  identities: string[];
  body: string;
  status: DeliveryRecord["status"];
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  availableAt: Date;
  roundStartedAt: Date;
  roundAttemptBase: number;
  deliveredAt: Date | undefined;
  deadAt: Date | undefined;
  deadReason: string | undefined;
  attemptLog: AttemptRecord[];
  /** The fencing token of the current claim; undefined unless `in_flight`. */
  claimToken: string | undefined;
  /** The due queue's current entry: set while claimable (`pending`, or `in_flight` until the lease expires). */
  dueEntry: DueRow["dueEntry"];
}

/**
 * A new `pending` row, due at `now`, copied from what the dispatcher enqueues.
 *
 * @example
 * ```ts
 * const row = newRow(delivery, clock.now());
 * ```
 */
export function newRow(delivery: NewDelivery, now: number): MemoryRow {
  const at = new Date(now);
  return {
    id: delivery.id,
    configId: delivery.configId,
    orgId: delivery.orgId,
    sandboxName: delivery.sandboxName,
    requestId: delivery.requestId,
    idempotencyKey: delivery.idempotencyKey,
    identities: [...delivery.identities],
    body: delivery.body,
    status: "pending",
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    availableAt: at,
    roundStartedAt: at,
    roundAttemptBase: 0,
    deliveredAt: undefined,
    deadAt: undefined,
    deadReason: undefined,
    attemptLog: [],
    claimToken: undefined,
    dueEntry: undefined,
  };
}

/**
 * A copy of an attempt (its date included): the log keeps its own, callers keep theirs.
 *
 * @example
 * ```ts
 * row.attemptLog.push(copyAttempt(settlement.attempt));
 * ```
 */
export function copyAttempt(attempt: AttemptRecord): AttemptRecord {
  // Its other fields are numbers and strings: a spread copies them, keys set to undefined included.
  return { ...attempt, startedAt: new Date(attempt.startedAt.getTime()) };
}

/** The row without its lifecycle-only fields, as a fresh object whose dates and arrays are copies. */
function leaseFields(row: MemoryRow): Omit<DeliveryRecord, "attemptLog" | "status"> {
  const copy: Omit<DeliveryRecord, "attemptLog" | "status"> = {
    id: row.id,
    configId: row.configId,
    orgId: row.orgId,
    sandboxName: row.sandboxName,
    requestId: row.requestId,
    idempotencyKey: row.idempotencyKey,
    identities: [...row.identities],
    body: row.body,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt.getTime()),
    updatedAt: new Date(row.updatedAt.getTime()),
    availableAt: new Date(row.availableAt.getTime()),
    roundStartedAt: new Date(row.roundStartedAt.getTime()),
    roundAttemptBase: row.roundAttemptBase,
  };
  if (row.deliveredAt !== undefined) copy.deliveredAt = new Date(row.deliveredAt.getTime());
  if (row.deadAt !== undefined) copy.deadAt = new Date(row.deadAt.getTime());
  if (row.deadReason !== undefined) copy.deadReason = row.deadReason;
  return copy;
}

/**
 * The public record of a row (no claim token), sharing nothing mutable with it.
 *
 * @example
 * ```ts
 * return row === undefined ? undefined : recordOf(row);
 * ```
 */
export function recordOf(row: MemoryRow): DeliveryRecord {
  return { ...leaseFields(row), status: row.status, attemptLog: row.attemptLog.map(copyAttempt) };
}

/**
 * The lease a claim hands out for a row it just claimed (no attempt log), sharing nothing mutable with it.
 *
 * @example
 * ```ts
 * const lease = claimedOf(row, claimToken);
 * ```
 */
export function claimedOf(row: MemoryRow, claimToken: string): ClaimedDelivery {
  const lease = leaseFields(row) as ClaimedDelivery;
  lease.status = "in_flight";
  lease.claimToken = claimToken;
  return lease;
}
