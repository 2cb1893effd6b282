/** Standard Webhooks secrets shorter than this are refused (the spec asks for 24–64 bytes). */
export const MIN_STANDARD_WEBHOOKS_SECRET_BYTES = 24;

/**
 * Decodes a `whsec_…` secret into its key bytes; the prefix is optional, as in the
 * `standardwebhooks` package. Portable (`atob`). Throws a `TypeError` that never quotes the
 * secret when it is not base64 or shorter than {@link MIN_STANDARD_WEBHOOKS_SECRET_BYTES}.
 *
 * @example
 * ```ts
 * decodeStandardWebhooksSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").length; // 24
 * ```
 */
export function decodeStandardWebhooksSecret(secret: string): Uint8Array {
  const body = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  } catch {
    throw new TypeError("must be a whsec_ secret: whsec_ followed by base64");
  }
  if (bytes.length < MIN_STANDARD_WEBHOOKS_SECRET_BYTES) {
    throw new TypeError(`must decode to at least ${MIN_STANDARD_WEBHOOKS_SECRET_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}
