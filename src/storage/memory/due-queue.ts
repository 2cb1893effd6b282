import { type DueEntry, DueLane, type DueRow, dueBefore } from "./due-lane.js";
import { MinHeap } from "./min-heap.js";

/**
 * The claimable deliveries (`pending`, or `in_flight` until their lease expires) of the memory
 * storage, ordered by `(availableAt, id)` in one {@link DueLane} per configuration, so a claim
 * costs O((window + configurations) · log n) at worst instead of sorting every row.
 *
 * Entries are never updated in place: rescheduling a row adds a new entry and {@link remove}
 * forgets it; an entry that is no longer the row's current one is stale and dropped when it
 * reaches the head of its lane.
 *
 * @example
 * ```ts
 * const queue = new DueQueue<Row>();
 * queue.schedule(row, Date.now(), Date.now());
 * const candidates = queue.take(Date.now(), 64, (configId) => excluded.has(configId));
 * for (const row of candidates) queue.schedule(row, leased(row) ? leaseEnd : row.availableAt.getTime(), now);
 * ```
 */
export class DueQueue<R extends DueRow> {
  readonly #byConfig = new Map<string, DueLane<R>>();
  readonly #live = (entry: DueEntry<R>) => entry.row.dueEntry === entry;

  /** Makes `row` claimable from `at` on (replacing any earlier schedule); `now` is the storage's now. */
  schedule(row: R, at: number, now: number): void {
    const entry = { row, at };
    row.dueEntry = entry;
    let lane = this.#byConfig.get(row.configId);
    if (lane === undefined) {
      lane = new DueLane<R>();
      this.#byConfig.set(row.configId, lane);
    }
    lane.add(entry, at <= now);
  }

  /** Makes `row` unclaimable (delivered, dead or deleted). */
  remove(row: R): void {
    row.dueEntry = undefined;
  }

  /**
   * Takes the first `window` rows due at `now` (oldest first, then by id) out of the queue,
   * skipping configurations for which `skip` is true. The caller must {@link schedule} every
   * row it gets (or {@link remove} it) before anything else reads the queue: at its lease expiry
   * if it leased it, else at its unchanged due time. Taking instead of peeking saves every leased
   * row a second entry, which would be added by the reschedule and dropped again as stale.
   */
  take(now: number, window: number, skip: (configId: string) => boolean): R[] {
    // A k-way merge over the configurations' lanes: `heads` holds each one's next due entry.
    const heads = new MinHeap<{ entry: DueEntry<R>; lane: DueLane<R> }>((a, b) => dueBefore(a.entry, b.entry));
    for (const [configId, lane] of this.#byConfig) {
      const head = lane.head(this.#live);
      if (head === undefined) this.#byConfig.delete(configId);
      else if (head.at <= now && !skip(configId)) heads.push({ entry: head, lane });
    }
    const taken: R[] = [];
    while (taken.length < window) {
      const next = heads.pop();
      if (next === undefined) break;
      next.lane.pop();
      next.entry.row.dueEntry = undefined;
      taken.push(next.entry.row);
      const head = next.lane.head(this.#live);
      if (head !== undefined && head.at <= now) heads.push({ entry: head, lane: next.lane });
    }
    return taken;
  }
}
