import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretSealer } from "../config/config-codec.js";
import { ConfigValidationError } from "../errors.js";

const PREFIX = "enc:v1:";
// Binds ciphertexts to this format, so a blob sealed for another purpose with the same key fails.
const AAD = Buffer.from("feedback-webhooks/secret/v1");

function decodeKey(key: Uint8Array | string): Buffer {
  const bytes =
    typeof key === "string"
      ? /^[A-Za-z0-9_-]+$/.test(key)
        ? Buffer.from(key, "base64url")
        : Buffer.from(key, "base64")
      : Buffer.from(key);
  if (bytes.length !== 32) {
    throw new ConfigValidationError(
      [{ path: "encryptionKey", message: `must be 32 bytes (or their base64/base64url), got ${bytes.length} bytes` }],
      { what: "Invalid encryption key" },
    );
  }
  return bytes;
}

const cannotOpen = (message: string, cause?: unknown) =>
  new ConfigValidationError([{ path: "encryptionKey", message }], { what: "Cannot open stored key material", cause });

/**
 * Encrypts key material at rest with AES-256-GCM: `enc:v1:<iv>:<ciphertext+tag>` (base64url),
 * a random 12-byte IV per seal. `open` refuses plaintext (the row was stored without encryption)
 * and a wrong key or altered row, with a `ConfigValidationError` that never quotes the material.
 *
 * @example
 * ```ts
 * const sealer = createAesGcmSealer(process.env.CONFIG_ENCRYPTION_KEY!); // 32 bytes, base64
 * sealer.open(sealer.seal("secret")); // "secret"
 * ```
 */
export function createAesGcmSealer(key: Uint8Array | string): SecretSealer {
  const bytes = decodeKey(key);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", bytes, iv).setAAD(AAD);
      const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}${iv.toString("base64url")}:${sealed.toString("base64url")}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) {
        throw cannotOpen("the stored key material is not encrypted (no enc:v1: prefix); re-save the configuration");
      }
      const [iv, sealed] = stored.slice(PREFIX.length).split(":");
      const data = Buffer.from(sealed ?? "", "base64url");
      if (iv === undefined || Buffer.from(iv, "base64url").length !== 12 || data.length < 16) {
        throw cannotOpen("the stored key material is not a valid enc:v1 value");
      }
      try {
        const decipher = createDecipheriv("aes-256-gcm", bytes, Buffer.from(iv, "base64url")).setAAD(AAD);
        decipher.setAuthTag(data.subarray(data.length - 16));
        return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString("utf8");
      } catch (cause) {
        throw cannotOpen(
          "cannot decrypt the stored key material: the encryption key is wrong or the value was altered",
          cause,
        );
      }
    },
  };
}
