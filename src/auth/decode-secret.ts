import { base64url } from "jose";

/** How a string secret is encoded. */
export type SecretEncoding = "utf8" | "base64" | "base64url" | "hex";

/** Every {@link SecretEncoding}, for validation messages. */
export const SECRET_ENCODINGS: readonly SecretEncoding[] = ["utf8", "base64", "base64url", "hex"];

/**
 * Turns a secret into its bytes. Runs on every runtime (no `Buffer`), so the receiver can use it
 * on Workers and Deno. Throws a `TypeError` that never contains the secret.
 *
 * @example
 * ```ts
 * decodeSecret("c2VjcmV0", "base64"); // Uint8Array of "secret"
 * ```
 */
export function decodeSecret(secret: string | Uint8Array, encoding: SecretEncoding = "utf8"): Uint8Array {
  if (typeof secret !== "string") return new Uint8Array(secret);
  switch (encoding) {
    case "utf8":
      return new TextEncoder().encode(secret);
    case "base64url":
      // jose's own message ("The input to be decoded is not correctly encoded") names no field.
      if (!/^[A-Za-z0-9_-]*$/.test(secret)) {
        throw new TypeError(
          "secret is not valid base64url (A-Z a-z 0-9 - _); set its encoding to utf8 if it is plain text",
        );
      }
      return base64url.decode(secret);
    case "base64":
      try {
        return Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
      } catch {
        throw new TypeError("secret is not valid base64");
      }
    case "hex":
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(secret)) throw new TypeError("secret is not valid hex");
      return Uint8Array.from(secret.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
  }
}
