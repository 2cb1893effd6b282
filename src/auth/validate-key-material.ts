import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import { isHmacAlgorithm, type JwtAlgorithm } from "../config/auth-config-schema.js";
import type { AuthConfig, Jwk } from "../config/webhook-config.js";
import type { Issue } from "../errors.js";

const PKCS8 = "-----BEGIN PRIVATE KEY-----";

function keyTypeIssue(algorithm: JwtAlgorithm, key: KeyObject): string | undefined {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm === "RS256" || algorithm === "PS256") {
    if (type !== "rsa") return `${algorithm} needs an RSA key, got ${type}`;
    const bits = details.modulusLength ?? 0;
    return bits < 2048 ? `${algorithm} needs an RSA key of at least 2048 bits, got ${bits}` : undefined;
  }
  if (algorithm === "ES256") {
    return type === "ec" && details.namedCurve === "prime256v1"
      ? undefined
      : `ES256 needs an EC P-256 key, got ${type === "ec" ? `curve ${details.namedCurve}` : type}`;
  }
  return type === "ed25519" ? undefined : `EdDSA needs an Ed25519 key, got ${type}`;
}

function pemIssue(pem: string): string | undefined {
  if (pem.includes("PUBLIC KEY"))
    return "is a public key; the sender signs with the private key (PKCS#8 PEM or private JWK)";
  if (pem.includes("ENCRYPTED PRIVATE KEY")) {
    return "is an encrypted PEM; give it unencrypted (keep it out of storage with ref + keyResolver, or encryptionKey)";
  }
  if (/-----BEGIN (?:RSA|EC) PRIVATE KEY-----/.test(pem)) {
    return "is a PKCS#1/SEC1 PEM; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem";
  }
  return pem.startsWith(PKCS8) ? undefined : `is not a PKCS#8 PEM private key (expected "${PKCS8}")`;
}

function jwkIssue(algorithm: JwtAlgorithm, jwk: Jwk): string | undefined {
  if (jwk.kty === "oct") return `is a shared-secret JWK; ${algorithm} signs with a private key`;
  if (jwk.d === undefined) return "is a public JWK; give the private JWK (with d)";
  if (jwk.alg !== undefined && jwk.alg !== algorithm) return `is a JWK for alg ${String(jwk.alg)}, not ${algorithm}`;
  return undefined;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function toBigInt(b64u: unknown): bigint | undefined {
  if (typeof b64u !== "string" || !B64URL.test(b64u)) return undefined;
  const hex = Buffer.from(b64u, "base64url").toString("hex");
  return hex === "" ? undefined : BigInt(`0x${hex}`);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

// OpenSSL signs RSA with the CRT members (p, q, dp, dq, qi) and never looks at `d`, so a wrong
// `d` slips through a sign/verify probe; check (m^d)^e ≡ m (mod n) directly.
function rsaExponentsMatch(jwk: Jwk): boolean {
  const [n, e, d] = [toBigInt(jwk.n), toBigInt(jwk.e), toBigInt(jwk.d)];
  if (n === undefined || e === undefined || d === undefined || d === 0n) return false;
  return modPow(modPow(2n, d, n), e, n) === 2n;
}

const PUBLIC_MEMBERS: Record<string, readonly string[]> = { RSA: ["n", "e"], EC: ["crv", "x", "y"], OKP: ["crv", "x"] };

// A private JWK carries its public part beside `d`; OpenSSL may import a `d` that belongs to
// another key (or is garbage) without complaint, and every token signed with it would then fail
// at the receiver. Signing once with the private key and verifying with the JWK's own public
// members proves they belong together.
function belongsTogether(key: KeyObject, jwk: Jwk): boolean {
  if (jwk.kty === "RSA" && !rsaExponentsMatch(jwk)) return false;
  const members = PUBLIC_MEMBERS[jwk.kty];
  if (members === undefined) return true;
  try {
    const publicJwk = Object.fromEntries([["kty", jwk.kty], ...members.map((m) => [m, jwk[m]])]);
    const publicKey = createPublicKey({ key: publicJwk, format: "jwk" });
    const digest = jwk.kty === "OKP" ? null : "sha256";
    const probe = new TextEncoder().encode("feedback-webhooks key check");
    return verify(digest, probe, publicKey, sign(digest, probe, key));
  } catch {
    return false;
  }
}

/**
 * Checks one private key for an asymmetric algorithm; returns what is wrong, or `undefined`.
 * The message never contains the key.
 *
 * @example
 * ```ts
 * privateKeyIssue("ES256", rsaPem); // "ES256 needs an EC P-256 key, got rsa"
 * ```
 */
export function privateKeyIssue(algorithm: JwtAlgorithm, material: string | Jwk): string | undefined {
  const isPem = typeof material === "string";
  const text = isPem ? material.trim() : material;
  const shape = typeof text === "string" ? pemIssue(text) : jwkIssue(algorithm, text);
  if (shape !== undefined) return shape;
  let key: KeyObject;
  try {
    key =
      typeof text === "string"
        ? createPrivateKey({ key: text, format: "pem" })
        : createPrivateKey({ key: text, format: "jwk" });
  } catch {
    return isPem ? "is not a valid PKCS#8 PEM private key" : "is not a valid private JWK";
  }
  const typeIssue = keyTypeIssue(algorithm, key);
  if (typeIssue !== undefined || typeof text === "string") return typeIssue;
  return belongsTogether(key, text) ? undefined : "has a private part (d) that does not belong to its public part";
}

/**
 * Validates the private keys of a JWT auth block at configuration time, synchronously: malformed
 * PEM or JWK, a public key where the private one belongs, PKCS#1/SEC1 instead of PKCS#8, and a key
 * type that does not fit the algorithm (RS256/PS256: RSA ≥ 2048 bits, ES256: P-256, EdDSA:
 * Ed25519). Shared secrets are checked by the config normalization; `ref` keys when resolved.
 *
 * @example
 * ```ts
 * const issues = validateKeyMaterial(config.auth);
 * // [{ path: "auth.keys[0].privateKey", message: "ES256 needs an EC P-256 key, got rsa" }]
 * ```
 */
export function validateKeyMaterial(auth: AuthConfig): Issue[] {
  if (auth.type !== "jwt" || isHmacAlgorithm(auth.algorithm)) return [];
  const issues: Issue[] = [];
  for (const [i, key] of auth.keys.entries()) {
    if (key.privateKey === undefined) continue;
    const message = privateKeyIssue(auth.algorithm, key.privateKey.reveal());
    if (message !== undefined) issues.push({ path: `auth.keys[${i}].privateKey`, message });
  }
  return issues;
}
