const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// The largest multiple of 62 that fits a byte: bytes above it are redrawn so every character is equally likely.
const LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A fresh request id like the documented `8NoByJneShCdCGRnrGS1t1m3CdA73dhR`: 32 characters of
 * `[A-Za-z0-9]` from `crypto.getRandomValues` (about 190 bits of randomness, no modulo bias).
 *
 * @example
 * ```ts
 * generateRequestId() // e.g. "Xq3v9LrT0bYc2WmN7pKs4HdA1uZe8FgJ"
 * ```
 */
export function generateRequestId(): string {
  let id = "";
  while (id.length < 32) {
    for (const byte of crypto.getRandomValues(new Uint8Array(48))) {
      if (byte < LIMIT && id.length < 32) id += ALPHABET[byte % ALPHABET.length];
    }
  }
  return id;
}
