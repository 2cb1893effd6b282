import type { JwtAlgorithm } from "../config/auth-config-schema.js";

/** What a key needs for selection: an optional `kid` and the algorithms it verifies. */
export interface SelectableKey {
  kid?: string;
  keys: ReadonlyMap<JwtAlgorithm, unknown>;
}

/** The keys to try for one token, in configuration order. */
export interface KeySelection<K> {
  keys: readonly K[];
  /** True when the token's `kid` named these keys; false when they were chosen without it. */
  byKid: boolean;
}

/** Picks the keys to try for a token's `alg` and `kid` header parameters. */
export type KeySelector<K> = (alg: JwtAlgorithm, kid: unknown) => KeySelection<K>;

interface AlgorithmTable<K> {
  all: KeySelection<K>;
  withoutKid: KeySelection<K>;
  byKid: Map<string, KeySelection<K>>;
}

const NONE: AlgorithmTable<never> = {
  all: { keys: [], byKid: false },
  withoutKid: { keys: [], byKid: false },
  byKid: new Map(),
};

/**
 * Precomputes, per algorithm, which configured keys a token may be verified with, so a request
 * only does two `Map` look-ups and allocates nothing. The rule: the keys that verify the token's
 * `alg`; of those, the ones whose `kid` equals the token's when any does; otherwise every key when
 * the token has no `kid`, or else only the keys without a `kid` (rotation with keys that never had
 * ids — a key with a different `kid` is never tried).
 *
 * @example
 * ```ts
 * const select = createKeySelector(ring.keys);
 * const { keys, byKid } = select("HS256", header.kid);
 * ```
 */
export function createKeySelector<K extends SelectableKey>(keys: readonly K[]): KeySelector<K> {
  const tables = new Map<JwtAlgorithm, AlgorithmTable<K>>();
  for (const alg of new Set(keys.flatMap((k) => [...k.keys.keys()]))) {
    const usable = keys.filter((k) => k.keys.has(alg));
    const byKid = new Map<string, KeySelection<K>>();
    for (const { kid } of usable) {
      if (kid !== undefined && !byKid.has(kid)) {
        byKid.set(kid, { keys: usable.filter((k) => k.kid === kid), byKid: true });
      }
    }
    const withoutKid = usable.filter((k) => k.kid === undefined);
    tables.set(alg, { all: { keys: usable, byKid: false }, withoutKid: { keys: withoutKid, byKid: false }, byKid });
  }
  return (alg, kid) => {
    const table = tables.get(alg) ?? NONE;
    if (typeof kid === "string") {
      const named = table.byKid.get(kid);
      if (named !== undefined) return named;
    }
    return kid === undefined ? table.all : table.withoutKid;
  };
}
