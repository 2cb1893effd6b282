/**
 * Compares two byte arrays in time that depends only on their lengths, so an attacker cannot
 * learn a valid MAC byte by byte. Portable: no `node:crypto`.
 *
 * @example
 * ```ts
 * constantTimeEqual(expectedMac, receivedMac); // true or false
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // A MAC's length is public, so returning early on a length mismatch leaks nothing.
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
