import type { Issue } from "../errors.js";
import { decodeSecret } from "../auth/decode-secret.js";
import { decodeStandardWebhooksSecret } from "../auth/decode-standard-webhooks-secret.js";
import { Secret } from "../secret.js";
import { type AuthParsed, isHmacAlgorithm } from "./auth-config-schema.js";
import type { AuthConfig, Jwk, SigningKey } from "./webhook-config.js";

/** HS* secrets shorter than this are refused (RFC 7518 §3.2 asks for at least the hash size). */
export const MIN_HMAC_SECRET_BYTES = 32;

/**
 * Turns the validated `auth` input into its stored form: secrets decoded and wrapped,
 * defaults applied, and every cross-field problem reported at once.
 */
export function normalizeAuth(auth: AuthParsed, now: Date): { auth: AuthConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  if (auth.type === "none") return { auth, issues };
  if (auth.type === "standard-webhooks") {
    for (const [i, s] of [auth.secret, ...(auth.previousSecrets ?? []).map((p) => p.secret)].entries()) {
      try {
        decodeStandardWebhooksSecret(s);
      } catch (error) {
        issues.push({
          path: i === 0 ? "auth.secret" : `auth.previousSecrets[${i - 1}].secret`,
          message: `Standard Webhooks secret ${(error as Error).message}; generate one with generateSigningKey("standard-webhooks")`,
        });
      }
    }
    return {
      auth: {
        type: "standard-webhooks",
        secret: new Secret(auth.secret),
        previousSecrets: (auth.previousSecrets ?? []).map((p) => ({
          secret: new Secret(p.secret),
          notAfter: p.notAfter,
        })),
      },
      issues,
    };
  }
  const hmac = isHmacAlgorithm(auth.algorithm);
  const kids = new Set<string>();
  const keys: SigningKey[] = auth.keys.map((key, i) => {
    const path = `auth.keys[${i}]`;
    if (kids.has(key.kid)) issues.push({ path: `${path}.kid`, message: `kid "${key.kid}" is used twice` });
    kids.add(key.kid);
    const out: SigningKey = { kid: key.kid, createdAt: key.createdAt ?? now };
    if (key.notAfter) out.notAfter = key.notAfter;
    if (key.ref !== undefined) out.ref = key.ref;
    if (key.secret !== undefined) {
      if (!hmac) {
        issues.push({
          path: `${path}.secret`,
          message: `${auth.algorithm} signs with a private key; give privateKey (PKCS#8 PEM or JWK), not secret`,
        });
      }
      let bytes: Uint8Array | undefined;
      try {
        bytes = decodeSecret(key.secret, key.secretEncoding);
      } catch (error) {
        issues.push({ path: `${path}.secret`, message: (error as Error).message });
      }
      if (bytes !== undefined && bytes.length < MIN_HMAC_SECRET_BYTES) {
        issues.push({
          path: `${path}.secret`,
          message: `HMAC secret must be at least ${MIN_HMAC_SECRET_BYTES} random bytes, got ${bytes.length}; generate one with generateSigningKey("${auth.algorithm}")`,
        });
      }
      out.secret = new Secret(bytes ?? new Uint8Array());
    }
    if (key.privateKey !== undefined) {
      if (hmac) {
        issues.push({
          path: `${path}.privateKey`,
          message: `${auth.algorithm} uses a shared secret; give secret, not privateKey`,
        });
      }
      out.privateKey = new Secret(key.privateKey as string | Jwk);
    }
    return out;
  });
  const jwt: AuthConfig = {
    type: "jwt",
    algorithm: auth.algorithm,
    keys,
    issuer: auth.issuer,
    expiresInSeconds: auth.expiresInSeconds ?? 300,
  };
  if (auth.audience !== undefined) jwt.audience = auth.audience;
  return { auth: jwt, issues };
}
