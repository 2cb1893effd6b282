import type { Settlement, SettleItem, Storage } from "../storage/storage.js";

/** Ends one claim, like `Storage.settleDelivery`; resolves once the outcome is committed. */
export type SettleFn = (id: string, claimToken: string, settlement: Settlement) => Promise<boolean>;

/** Settles claims, grouping the ones that complete close together into one commit. */
export interface SettleBatcher {
  settle: SettleFn;
  /** Commits what is queued now instead of at the end of the window (on stop). */
  flush(): void;
}

/** A flush commits at most this many settles, and starts at once when this many are queued. */
const MAX_BATCH = 16;
/** How long a settle may wait for others to share its commit. */
const WINDOW_MS = 2;

interface Queued {
  item: SettleItem;
  resolve: (settled: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for settles: with `storage.settleDeliveries`, settles queue for at most
 * {@link WINDOW_MS} and commit together — one transaction, one fsync on SQLite — once
 * {@link MAX_BATCH} are queued, once `waiting()` says no other attempt could join (every attempt
 * in flight is waiting for its settle), or when the window ends. Each caller's promise settles
 * only after the batch committed, so hooks never announce an uncommitted outcome; a failed
 * commit rejects every caller of the batch, exactly like a failed `settleDelivery` (the
 * deliveries stay leased until their lease expires). Without `settleDeliveries`, a plain
 * `settleDelivery` per call.
 *
 * @example
 * ```ts
 * const batcher = createSettleBatcher(storage, () => inFlight.size);
 * await batcher.settle(d.id, d.claimToken, { next: { status: "delivered" } });
 * ```
 */
export function createSettleBatcher(storage: Storage, waiting: () => number): SettleBatcher {
  const queue: Queued[] = [];
  let timer: NodeJS.Timeout | undefined;

  // The storage's method is looked up per call, as the plain `settleDelivery` path always did.
  const commit = (batch: Queued[]) => {
    const items = batch.map((q) => q.item);
    const many = storage.settleDeliveries?.(items);
    const committed =
      many ??
      Promise.all(items.map(({ id, claimToken, settlement }) => storage.settleDelivery(id, claimToken, settlement)));
    committed.then(
      (results) => {
        for (const [i, q] of batch.entries()) q.resolve(results[i] === true);
      },
      (error: unknown) => {
        for (const q of batch) q.reject(error);
      },
    );
  };
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length > 0) commit(queue.splice(0, MAX_BATCH));
  };

  return {
    settle(id, claimToken, settlement) {
      if (storage.settleDeliveries === undefined) return storage.settleDelivery(id, claimToken, settlement);
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ item: { id, claimToken, settlement }, resolve, reject });
        if (queue.length >= Math.min(MAX_BATCH, waiting())) flush();
        else timer ??= setTimeout(flush, WINDOW_MS);
      });
    },
    flush,
  };
}
