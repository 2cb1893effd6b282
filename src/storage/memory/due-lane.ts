import { MinHeap } from "./min-heap.js";

/** One scheduled instant of a row. Stale once the row is rescheduled or removed. */
export interface DueEntry<R> {
  row: R;
  at: number;
}

/**
 * What a queue needs of a row: its claim order, and a slot for the queue's current entry of it
 * (undefined when unscheduled). Kept on the row rather than in a map from rows: the claim reads
 * it for every entry it passes, and the row is in hand (and in cache) already.
 */
export interface DueRow {
  readonly id: string;
  readonly configId: string;
  dueEntry: DueEntry<DueRow> | undefined;
}

/** Claim order: `at`, then id. */
export const dueBefore = <R extends { id: string }>(a: DueEntry<R>, b: DueEntry<R>): boolean =>
  a.at < b.at || (a.at === b.at && a.row.id < b.row.id);

/** Past this many consumed slots (and half the run), the run's array is compacted. */
const COMPACT_AFTER = 1024;

/**
 * The scheduled entries of one configuration, in claim order ({@link dueBefore}). Entries due
 * when scheduled mostly arrive in that order (an enqueue is due now, and ids grow with time), so
 * they are appended to a sorted run, O(1) in and out, instead of paying a heap's O(log n) —
 * with cache misses on every level — per delivery; the rest (leases, retries, out-of-order
 * entries) go to a min-heap. The lane's head is the smaller of both heads.
 *
 * @example
 * ```ts
 * const lane = new DueLane<Row>();
 * lane.add({ row, at: now }, true);
 * const head = lane.head((entry) => entry.row.dueEntry === entry);
 * if (head) lane.pop();
 * ```
 */
export class DueLane<R extends { id: string }> {
  readonly #run: DueEntry<R>[] = [];
  #first = 0;
  readonly #heap = new MinHeap<DueEntry<R>>(dueBefore);
  /** Where the entry {@link head} returned came from. */
  #headInRun = false;

  /** Adds an entry; `dueNow` when it is due at once (only those may join the run). */
  add(entry: DueEntry<R>, dueNow: boolean): void {
    const run = this.#run;
    const tail = run.length > this.#first ? run[run.length - 1] : undefined;
    if (dueNow && (tail === undefined || !dueBefore(entry, tail))) run.push(entry);
    else this.#heap.push(entry);
  }

  /**
   * The first entry for which `live` holds, after dropping the stale ones ahead of it; undefined
   * when the lane holds no live entry.
   */
  head(live: (entry: DueEntry<R>) => boolean): DueEntry<R> | undefined {
    const run = this.#run;
    while (this.#first < run.length && !live(run[this.#first] as DueEntry<R>)) this.#first++;
    if (this.#first === run.length) {
      run.length = 0;
      this.#first = 0;
    }
    let top = this.#heap.peek();
    while (top !== undefined && !live(top)) {
      this.#heap.pop();
      top = this.#heap.peek();
    }
    const fromRun = run[this.#first];
    this.#headInRun = fromRun !== undefined && (top === undefined || !dueBefore(top, fromRun));
    return this.#headInRun ? fromRun : top;
  }

  /** Removes the entry the last {@link head} returned (call `head` first). */
  pop(): void {
    if (!this.#headInRun) {
      this.#heap.pop();
      return;
    }
    this.#first++;
    if (this.#first > COMPACT_AFTER && this.#first * 2 > this.#run.length) {
      this.#run.splice(0, this.#first);
      this.#first = 0;
    }
  }
}
