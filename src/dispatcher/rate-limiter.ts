import type { Clock } from "../clock.js";

/** Per-endpoint token buckets: at most `perSecond` attempts per second per endpoint, bursts up to `max(1, perSecond)`. */
export interface RateLimiter {
  /** Takes a token for `key`; false when none is left right now. */
  tryTake(key: string): boolean;
  /** The keys with no token left right now (their deliveries should not be claimed). */
  limited(): string[];
  /** Whole tokens `key` has right now: how many attempts it may start at once (Infinity without a limit). */
  available(key: string): number;
  /** Whole tokens of a full bucket: the most attempts one key may start at once (Infinity without a limit). */
  readonly burst: number;
}

/**
 * A token bucket per key on the injectable clock (so tests move time instead of sleeping).
 * `perSecond` undefined: no limit.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter(10, systemClock);
 * if (limiter.tryTake(configId)) send();
 * ```
 */
export function createRateLimiter(perSecond: number | undefined, clock: Clock): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perSecond ?? Number.POSITIVE_INFINITY;
  // Room for at least one token, so rates below 1/s (e.g. 0.2 = one every 5 s) still send.
  const capacity = Math.max(1, rate);
  const burst = Math.floor(capacity);
  const refill = (key: string) => {
    const now = clock.now();
    const bucket = buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate);
    bucket.at = now;
    buckets.set(key, bucket);
    return bucket;
  };
  return {
    tryTake(key) {
      if (perSecond === undefined) return true;
      const bucket = refill(key);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    limited() {
      if (perSecond === undefined) return [];
      return [...buckets.keys()].filter((key) => refill(key).tokens < 1);
    },
    available(key) {
      // A key never taken from has a full bucket; asking must not create one.
      return buckets.has(key) ? Math.floor(refill(key).tokens) : burst;
    },
    burst,
  };
}
