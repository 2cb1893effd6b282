import type { ClaimedDelivery, Storage } from "../storage/storage.js";

/** Keeps the leases of the attempts in flight from expiring. */
export interface LeaseRenewer {
  /** Renews `d`'s lease every `leaseMs / 3` (or a little more) from now until {@link release}. */
  hold(d: ClaimedDelivery): void;
  release(d: ClaimedDelivery): void;
}

/** How many sweeps per renewal period: a held lease is renewed at most this fraction of a period late. */
const SWEEPS_PER_PERIOD = 2;

/**
 * Creates the worker's lease renewer: ONE timer for every attempt in flight instead of an
 * interval each (a timer armed and cleared per delivery), running only while some lease is held.
 * It sweeps every `leaseMs / 6` and renews the leases last renewed (or claimed) at least
 * `leaseMs / 3` ago, so a lease is renewed between a third and half of its length after the last
 * renewal: the other half is left for the renewal to commit. Ages are real time, like the timer.
 *
 * @example
 * ```ts
 * const renewer = createLeaseRenewer({ storage, leaseMs: 60_000, onLost, onError });
 * renewer.hold(claimed);
 * try { await attempt(claimed); } finally { renewer.release(claimed); }
 * ```
 */
export function createLeaseRenewer(options: {
  storage: Pick<Storage, "renewLease">;
  leaseMs: number;
  /** The storage refused a renewal: another worker holds the delivery now. */
  onLost: (deliveryId: string) => void;
  onError: (error: unknown, deliveryId: string) => void;
}): LeaseRenewer {
  const { storage, leaseMs, onLost, onError } = options;
  const period = Math.max(1, Math.floor(leaseMs / 3));
  const held = new Map<ClaimedDelivery, number>();
  let timer: NodeJS.Timeout | undefined;

  const sweep = () => {
    const now = performance.now();
    for (const [d, renewedAt] of held) {
      if (now - renewedAt < period) continue;
      held.set(d, now);
      storage.renewLease(d.id, d.claimToken, leaseMs).then(
        (kept) => kept || onLost(d.id),
        (error: unknown) => onError(error, d.id),
      );
    }
  };

  return {
    hold(d) {
      held.set(d, performance.now());
      timer ??= setInterval(sweep, Math.max(1, Math.floor(period / SWEEPS_PER_PERIOD)));
    },
    release(d) {
      held.delete(d);
      if (held.size > 0) return;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
