import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JwtAlgorithm } from "../../src/config/auth-config-schema.js";
import { createKeySelector, type SelectableKey } from "../../src/auth/create-key-selector.js";

const ALGS: JwtAlgorithm[] = ["HS256", "HS384", "RS256", "ES256"];

/** The rule as it reads in prose, recomputed per token: what the precomputed tables must return. */
function byTheRule<K extends SelectableKey>(keys: readonly K[], alg: JwtAlgorithm, kid: unknown) {
  const usable = keys.filter((k) => k.keys.has(alg));
  const named = typeof kid === "string" ? usable.filter((k) => k.kid === kid) : [];
  if (named.length > 0) return { keys: named, byKid: true };
  return { keys: usable.filter((k) => k.kid === undefined || kid === undefined), byKid: false };
}

const keyArb = fc.record(
  {
    kid: fc.constantFrom("a", "b", "c", "__proto__"),
    algs: fc.subarray(ALGS, { minLength: 1 }),
  },
  { requiredKeys: ["algs"] },
);

describe("createKeySelector", () => {
  it("selects by kid, else every key for a token without kid, else only the keys without kid", () => {
    const one = { kid: "one", keys: new Map([["HS256", 1]]) } as SelectableKey;
    const two = { kid: "two", keys: new Map([["HS256", 2]]) } as SelectableKey;
    const bare = { keys: new Map([["HS256", 3]]) } as SelectableKey;
    const select = createKeySelector([one, two, bare]);
    expect(select("HS256", "two")).toEqual({ keys: [two], byKid: true });
    expect(select("HS256", undefined)).toEqual({ keys: [one, two, bare], byKid: false });
    expect(select("HS256", "three")).toEqual({ keys: [bare], byKid: false });
    expect(select("HS256", 7)).toEqual({ keys: [bare], byKid: false });
    expect(select("RS256", undefined)).toEqual({ keys: [], byKid: false });
  });

  it("returns the same keys, in the same order, as the rule recomputed per token", () => {
    fc.assert(
      fc.property(
        fc.array(keyArb, { maxLength: 6 }),
        fc.constantFrom(...ALGS),
        fc.constantFrom<unknown>(undefined, "a", "b", "c", "z", "__proto__", 1, null),
        (specs, alg, kid) => {
          const keys = specs.map((s, i) => {
            const key: SelectableKey = { keys: new Map(s.algs.map((a) => [a, i])) };
            if (s.kid !== undefined) key.kid = s.kid;
            return key;
          });
          const got = createKeySelector(keys)(alg, kid);
          const want = byTheRule(keys, alg, kid);
          expect(got.byKid).toBe(want.byKid);
          // Identity, not structure: the very same key objects, in order.
          expect(got.keys.length).toBe(want.keys.length);
          for (const [i, k] of got.keys.entries()) expect(k).toBe(want.keys[i]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
