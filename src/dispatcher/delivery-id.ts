import { randomFillSync } from "node:crypto";
import type { Clock } from "../clock.js";

// Random bits for 256 ids per refill: one `randomFillSync` call instead of a `randomBytes`
// Buffer per id (which cost more than the rest of the id). Node's `randomUUID` pools the same way.
const POOL_BYTES = 2048;
// Bytes 8–15 of an id are random (bytes 0–7 hold the time, version and sequence).
const RANDOM_BYTES = 8;

/**
 * Returns a generator of UUIDv7 delivery ids (RFC 9562): time-ordered, so storages can page
 * and index by id, and strictly increasing within one generator even when the clock stalls or
 * steps back (the 12-bit `rand_a` field carries a sequence).
 *
 * @example
 * ```ts
 * const nextId = createDeliveryIdGenerator(systemClock);
 * nextId(); // "0194f3c2-7a10-7000-8a3b-5f0e2d9c1b44"
 * ```
 */
export function createDeliveryIdGenerator(clock: Clock): () => string {
  let lastMs = 0;
  let seq = 0;
  const pool = Buffer.alloc(POOL_BYTES);
  let used = POOL_BYTES;
  const bytes = Buffer.alloc(16);
  return () => {
    let ms = Math.max(clock.now(), lastMs);
    if (ms === lastMs) {
      seq += 1;
      if (seq > 0xfff) {
        ms += 1;
        seq = 0;
      }
    } else {
      seq = 0;
    }
    lastMs = ms;
    if (used === POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    pool.copy(bytes, 8, used, used + RANDOM_BYTES);
    used += RANDOM_BYTES;
    bytes.writeUIntBE(ms, 0, 6);
    bytes[6] = 0x70 | (seq >> 8);
    bytes[7] = seq & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const hex = bytes.toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
