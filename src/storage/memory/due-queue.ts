import { MinHeap } from "./min-heap.js";

interface Entry<R> {
  row: R;
  at: number;
}

const before = <R extends { id: string }>(a: Entry<R>, b: Entry<R>) =>
  a.at < b.at || (a.at === b.at && a.row.id < b.row.id);

/**
 * The claimable deliveries (`pending`, or `in_flight` until their lease expires) of the memory
 * storage, ordered by `(availableAt, id)` in one min-heap per configuration, so a claim costs
 * O((window + configurations) · log n) instead of sorting every row.
 *
 * Entries are never updated in place: rescheduling a row pushes a new entry and {@link remove}
 * forgets it; an entry that is no longer the row's current one is stale and dropped when it
 * reaches the top of its heap.
 *
 * @example
 * ```ts
 * const queue = new DueQueue<Row>();
 * queue.schedule(row, Date.now());
 * const candidates = queue.due(Date.now(), 64, (configId) => excluded.has(configId));
 * ```
 */
export class DueQueue<R extends { id: string; configId: string }> {
  readonly #current = new Map<R, Entry<R>>();
  readonly #byConfig = new Map<string, MinHeap<Entry<R>>>();

  /** Makes `row` claimable from `at` on (replacing any earlier schedule). */
  schedule(row: R, at: number): void {
    const entry = { row, at };
    this.#current.set(row, entry);
    let heap = this.#byConfig.get(row.configId);
    if (heap === undefined) {
      heap = new MinHeap<Entry<R>>(before);
      this.#byConfig.set(row.configId, heap);
    }
    heap.push(entry);
  }

  /** Makes `row` unclaimable (delivered, dead or deleted). */
  remove(row: R): void {
    this.#current.delete(row);
  }

  /**
   * The first `window` rows due at `now` (oldest first, then by id), skipping configurations
   * for which `skip` is true. Nothing is removed: the caller reschedules what it leases.
   */
  due(now: number, window: number, skip: (configId: string) => boolean): R[] {
    // A k-way merge over the configurations' heaps: `heads` holds each one's next due entry.
    const heads = new MinHeap<{ entry: Entry<R>; heap: MinHeap<Entry<R>> }>((a, b) => before(a.entry, b.entry));
    for (const [configId, heap] of this.#byConfig) {
      const head = this.#head(heap);
      if (head === undefined) this.#byConfig.delete(configId);
      else if (head.at <= now && !skip(configId)) heads.push({ entry: head, heap });
    }
    const taken: Array<{ entry: Entry<R>; heap: MinHeap<Entry<R>> }> = [];
    while (taken.length < window) {
      const next = heads.pop();
      if (next === undefined) break;
      next.heap.pop();
      taken.push(next);
      const head = this.#head(next.heap);
      if (head !== undefined && head.at <= now) heads.push({ entry: head, heap: next.heap });
    }
    for (const { entry, heap } of taken) heap.push(entry);
    return taken.map(({ entry }) => entry.row);
  }

  /** The heap's first current entry, after dropping stale ones from its top. */
  #head(heap: MinHeap<Entry<R>>): Entry<R> | undefined {
    let top = heap.peek();
    while (top !== undefined && this.#current.get(top.row) !== top) {
      heap.pop();
      top = heap.peek();
    }
    return top;
  }
}
