import type { SigningKey } from "../config/webhook-config.js";

/**
 * Picks the key that signs at `nowMs`: among keys whose `notAfter` is unset or still ahead, the
 * one with the latest `createdAt` (on a tie, the later in the list). `undefined` when every key
 * has passed its `notAfter`.
 *
 * @example
 * ```ts
 * selectSigningKey(config.auth.keys, Date.now())?.kid; // "2025-06"
 * ```
 */
export function selectSigningKey(keys: readonly SigningKey[], nowMs: number): SigningKey | undefined {
  let best: SigningKey | undefined;
  for (const key of keys) {
    if (key.notAfter !== undefined && key.notAfter.getTime() <= nowMs) continue;
    if (best === undefined || key.createdAt.getTime() >= best.createdAt.getTime()) best = key;
  }
  return best;
}
