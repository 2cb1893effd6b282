import { importJWK, importPKCS8, type JWTPayload, SignJWT } from "jose";
import { isHmacAlgorithm, type JwtAlgorithm } from "../config/auth-config-schema.js";
import { MIN_HMAC_SECRET_BYTES } from "../config/normalize-auth.js";
import type { JwtAuthConfig, Jwk, SigningKey } from "../config/webhook-config.js";
import { ConfigValidationError, type Issue } from "../errors.js";
import { nodeSecretKey, signHmacJwt } from "./node-hmac-jwt.js";
import { privateKeyIssue, validateKeyMaterial } from "./validate-key-material.js";

/** Key material as a `keyResolver` returns it. */
export type KeyMaterial = string | Uint8Array | Jwk;

/** The protected header of a feedback token. */
export type TokenHeader = { alg: JwtAlgorithm; typ: "JWT"; kid: string };

/** Signs one token with a key imported once. */
export type KeySigner = (header: TokenHeader, claims: JWTPayload) => Promise<string>;

const invalid = (path: string, message: string) =>
  new ConfigValidationError([{ path, message }], { what: "Unusable signing key" });

function hmacBytes(material: KeyMaterial, path: string): Uint8Array {
  if (typeof material === "string") return new TextEncoder().encode(material);
  if (material instanceof Uint8Array) return material;
  if (material.kty === "oct" && typeof material.k === "string") return Buffer.from(material.k, "base64url");
  throw invalid(path, "an HMAC key resolves to a string (UTF-8), bytes, or an oct JWK");
}

/**
 * Imports one key's material once and returns a signer for it: HS* through `node:crypto`
 * (byte-identical to jose, see the differential test), asymmetric keys through jose. Throws
 * {@link ConfigValidationError} (never quoting the key) when the material does not fit.
 *
 * @example
 * ```ts
 * const sign = await loadKeySigner("HS256", secretBytes, "auth.keys[0].secret");
 * const jwt = await sign({ alg: "HS256", typ: "JWT", kid: "k1" }, { iss: "me" });
 * ```
 */
export async function loadKeySigner(algorithm: JwtAlgorithm, material: KeyMaterial, path: string): Promise<KeySigner> {
  if (isHmacAlgorithm(algorithm)) {
    const bytes = hmacBytes(material, path);
    if (bytes.length < MIN_HMAC_SECRET_BYTES) {
      throw invalid(path, `an HMAC secret must be at least ${MIN_HMAC_SECRET_BYTES} random bytes, got ${bytes.length}`);
    }
    const key = nodeSecretKey(bytes);
    return async (header, claims) => signHmacJwt(header, claims, key);
  }
  if (material instanceof Uint8Array)
    throw invalid(path, `${algorithm} needs a PKCS#8 PEM or a private JWK, not bytes`);
  const issue = privateKeyIssue(algorithm, material);
  if (issue !== undefined) throw invalid(path, issue);
  const key =
    typeof material === "string" ? await importPKCS8(material.trim(), algorithm) : await importJWK(material, algorithm);
  return (header, claims) => new SignJWT(claims).setProtectedHeader(header).sign(key);
}

/**
 * Problems that make a JWT auth block unable to sign, found before any request: a key without
 * material of the right kind, a short secret, a `ref` without `keyResolver`, a bad private key,
 * a lifetime outside 1–3600 s.
 *
 * @example
 * ```ts
 * const issues = jwtSignerIssues(config.auth, { hasResolver: false });
 * ```
 */
export function jwtSignerIssues(auth: JwtAuthConfig, context: { hasResolver: boolean }): Issue[] {
  const issues: Issue[] = validateKeyMaterial(auth);
  const hmac = isHmacAlgorithm(auth.algorithm);
  auth.keys.forEach((key: SigningKey, i) => {
    const path = `auth.keys[${i}]`;
    if (key.ref !== undefined && !context.hasResolver) {
      issues.push({ path: `${path}.ref`, message: "a ref key needs the keyResolver option" });
    } else if (key.ref === undefined && (hmac ? key.secret : key.privateKey) === undefined) {
      issues.push({
        path,
        message: hmac ? `${auth.algorithm} needs a secret` : `${auth.algorithm} needs a privateKey`,
      });
    }
    const secret = key.secret?.reveal();
    if (hmac && secret !== undefined && secret.length < MIN_HMAC_SECRET_BYTES) {
      issues.push({
        path: `${path}.secret`,
        message: `an HMAC secret must be at least ${MIN_HMAC_SECRET_BYTES} random bytes, got ${secret.length}`,
      });
    }
  });
  if (!Number.isInteger(auth.expiresInSeconds) || auth.expiresInSeconds < 1 || auth.expiresInSeconds > 3600) {
    issues.push({ path: "auth.expiresInSeconds", message: "must be an integer from 1 to 3600" });
  }
  return issues;
}
