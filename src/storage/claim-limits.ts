import type { ClaimQuery } from "./storage.js";

/**
 * How many candidate rows a capped claim reads per delivery asked for. Big enough that a few
 * capped configurations at the head of the queue rarely hide the rest in one round; small enough
 * that a claim reads a bounded number of rows however large the table grows.
 */
export const CANDIDATE_FACTOR = 4;

/** A claim's limits in the form the adapters use (see {@link claimLimits}). */
export interface ClaimLimits {
  /** At most this many deliveries in all (≥ 0). */
  limit: number;
  /** How many of the oldest due rows to look at: `limit` when nothing is capped. */
  window: number;
  /** `excludeConfigIds` plus every configuration whose `configLimits` value is ≤ 0. */
  excluded: string[];
  /** The cap of a configuration not in `caps` (at most `limit`). */
  perConfig: number;
  /** The tighter caps, each between 1 and `perConfig`. */
  caps: Map<string, number>;
}

/**
 * Normalizes a `ClaimQuery`'s limits once, so the three adapters agree on every edge (fractions,
 * ≤ 0, a `configLimits` value above `perConfigLimit`). A configuration capped at 0 is moved to
 * `excluded`: the candidate query then skips it instead of reading rows it must drop.
 *
 * @example
 * ```ts
 * const l = claimLimits({ limit: 16, leaseMs: 60_000, perConfigLimit: 8, configLimits: { a: 3, b: 0 } });
 * // l.window === 64, l.perConfig === 8, l.caps: a → 3, l.excluded: ["b"]
 * ```
 */
export function claimLimits(query: ClaimQuery): ClaimLimits {
  const limit = Math.max(0, Math.floor(query.limit));
  const perConfig = Math.min(limit, Math.max(0, Math.floor(query.perConfigLimit ?? limit)));
  const excluded = [...(query.excludeConfigIds ?? [])];
  const caps = new Map<string, number>();
  for (const [configId, value] of Object.entries(query.configLimits ?? {})) {
    const cap = Math.min(perConfig, Math.floor(value));
    // `!(cap > 0)` also catches NaN: an unusable cap leases nothing rather than everything.
    if (!(cap > 0)) excluded.push(configId);
    else if (cap < perConfig) caps.set(configId, cap);
  }
  const capped = perConfig < limit || caps.size > 0;
  return {
    limit: perConfig === 0 ? 0 : limit,
    window: capped ? limit * CANDIDATE_FACTOR : limit,
    excluded,
    perConfig,
    caps,
  };
}

/**
 * Picks, from candidates already in claim order (oldest due first), the first ones that fit
 * their configuration's cap, up to `limit`. The in-process equivalent of ranking candidates
 * with `row_number() OVER (PARTITION BY config_id ...)` and keeping those within the cap.
 *
 * @example
 * ```ts
 * const chosen = withinCaps(candidates, claimLimits(query));
 * ```
 */
export function withinCaps<T extends { configId: string }>(candidates: readonly T[], limits: ClaimLimits): T[] {
  const taken = new Map<string, number>();
  const chosen: T[] = [];
  for (const candidate of candidates) {
    if (chosen.length >= limits.limit) break;
    const count = taken.get(candidate.configId) ?? 0;
    if (count >= (limits.caps.get(candidate.configId) ?? limits.perConfig)) continue;
    taken.set(candidate.configId, count + 1);
    chosen.push(candidate);
  }
  return chosen;
}
