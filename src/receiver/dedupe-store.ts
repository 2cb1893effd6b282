import { type Clock, systemClock } from "../clock.js";
import { ConfigValidationError } from "../errors.js";

/**
 * Where the receiver remembers used token ids (`jti`) and processed deliveries. Two methods, so a
 * Redis (`SET key 1 NX PXAT expiresAt` / `EXISTS key`) or SQL (`INSERT … ON CONFLICT DO NOTHING`)
 * store is a few lines. Share one store between every instance of a receiving service, or
 * replays and retries that reach another instance are not recognised.
 *
 * @example
 * ```ts
 * const redisStore: DedupeStore = {
 *   add: async (key, expiresAt) => (await redis.set(key, "1", { NX: true, PXAT: expiresAt })) === "OK",
 *   has: async (key) => (await redis.exists(key)) === 1,
 * };
 * ```
 */
export interface DedupeStore {
  /**
   * Records `key` until `expiresAt` (epoch milliseconds) unless it is already recorded; resolves
   * `true` when it was recorded now, `false` when it was already there. Must be atomic.
   */
  add(key: string, expiresAt: number): Promise<boolean>;
  /** Whether `key` is recorded and not expired. */
  has(key: string): Promise<boolean>;
}

/**
 * Options of {@link createMemoryDedupeStore}.
 *
 * @example
 * ```ts
 * const options: MemoryDedupeStoreOptions = { maxEntries: 10_000 };
 * ```
 */
export interface MemoryDedupeStoreOptions {
  /**
   * At most this many keys are kept; past it the oldest are forgotten first (a very old retry
   * may then be processed twice, which at-least-once delivery allows).
   * @default 100_000
   */
  maxEntries?: number;
  /** Where time comes from. @default systemClock */
  clock?: Clock;
}

/**
 * A {@link DedupeStore} in this process's memory: fine for one instance, lost on restart.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ auth, dedupe: { store: createMemoryDedupeStore() } });
 * ```
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): DedupeStore {
  const maxEntries = options.maxEntries ?? 100_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    const issue = { path: "maxEntries", message: `must be a positive integer, got ${maxEntries}` };
    throw new ConfigValidationError([issue], { what: "Invalid memory dedupe store options" });
  }
  const clock = options.clock ?? systemClock;
  const entries = new Map<string, number>();
  const live = (key: string): boolean => {
    const expiresAt = entries.get(key);
    if (expiresAt === undefined) return false;
    if (expiresAt > clock.now()) return true;
    entries.delete(key);
    return false;
  };
  return Object.freeze({
    async add(key: string, expiresAt: number): Promise<boolean> {
      if (live(key)) return false;
      entries.set(key, expiresAt);
      // Map keeps insertion order, so the first keys are the oldest.
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
      return true;
    },
    async has(key: string): Promise<boolean> {
      return live(key);
    },
  });
}
