import { createHash, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import type { Jwk } from "../config/webhook-config.js";

type HmacAlgorithm = "HS256" | "HS384" | "HS512";
type AsymmetricAlgorithm = Exclude<JwtAlgorithm, HmacAlgorithm>;

/** A new shared secret. `configKey` goes into `auth.keys`; the receiver gets the same object. */
export interface GeneratedHmacKey {
  alg: HmacAlgorithm;
  kid: string;
  /** base64url of 32/48/64 random bytes (the hash size). Keep it secret. */
  secret: string;
  secretEncoding: "base64url";
  /** Ready for `auth.keys`: `{ kid, secret, secretEncoding }`. */
  configKey: { kid: string; secret: string; secretEncoding: "base64url" };
}

/** A new key pair. The private part stays with the sender; publish `publicJwk` (or the PEM). */
export interface GeneratedKeyPair {
  alg: AsymmetricAlgorithm;
  /** The RFC 7638 thumbprint of the public key. */
  kid: string;
  /** PKCS#8 PEM. Keep it secret. */
  privateKeyPem: string;
  /** The private JWK (with `kid`, `alg`). Keep it secret. */
  privateJwk: Jwk;
  /** The public JWK with `kid`, `alg` and `use: "sig"`, for a receiver or a JWKS. */
  publicJwk: Jwk;
  /** SPKI PEM of the public key, for receivers and `jsonwebtoken`. */
  publicKeyPem: string;
  /** Ready for `auth.keys`: `{ kid, privateKey }`. */
  configKey: { kid: string; privateKey: string };
}

/** A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export interface GeneratedStandardWebhooksSecret {
  secret: `whsec_${string}`;
}

const HMAC_BYTES: Record<HmacAlgorithm, number> = { HS256: 32, HS384: 48, HS512: 64 };
const THUMBPRINT_MEMBERS: Record<string, string[]> = {
  RSA: ["e", "kty", "n"],
  EC: ["crv", "kty", "x", "y"],
  OKP: ["crv", "kty", "x"],
};

function generatePair(alg: AsymmetricAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  if (alg === "ES256") return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  if (alg === "EdDSA") return generateKeyPairSync("ed25519");
  return generateKeyPairSync("rsa", { modulusLength: 2048 });
}

/**
 * The RFC 7638 JWK thumbprint (SHA-256, base64url): a stable `kid` derived from the public key.
 *
 * @example
 * ```ts
 * jwkThumbprint({ kty: "OKP", crv: "Ed25519", x: "…" }); // "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
 * ```
 */
export function jwkThumbprint(jwk: Jwk): string {
  const members = THUMBPRINT_MEMBERS[jwk.kty] ?? [];
  const canonical = JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])));
  return createHash("sha256").update(canonical).digest("base64url");
}

/**
 * Generates signing key material for a configuration: an HS* secret of the hash size, an
 * RS256/PS256 (RSA 2048), ES256 (P-256) or EdDSA (Ed25519) key pair with the public key as JWK and
 * PEM, or a Standard Webhooks `whsec_` secret. Synchronous (`node:crypto`).
 *
 * @example
 * ```ts
 * const key = generateSigningKey("ES256");
 * await registry.update(id, { auth: { type: "jwt", algorithm: "ES256", issuer, keys: [key.configKey] } }, { expectedVersion });
 * // receiver: createTokenVerifier({ publicKeys: [key.publicJwk] })
 * ```
 */
export function generateSigningKey(alg: HmacAlgorithm): GeneratedHmacKey;
export function generateSigningKey(alg: AsymmetricAlgorithm): GeneratedKeyPair;
export function generateSigningKey(alg: "standard-webhooks"): GeneratedStandardWebhooksSecret;
export function generateSigningKey(
  alg: JwtAlgorithm | "standard-webhooks",
): GeneratedHmacKey | GeneratedKeyPair | GeneratedStandardWebhooksSecret;
export function generateSigningKey(
  alg: JwtAlgorithm | "standard-webhooks",
): GeneratedHmacKey | GeneratedKeyPair | GeneratedStandardWebhooksSecret {
  if (alg === "standard-webhooks") return { secret: `whsec_${randomBytes(32).toString("base64")}` as const };
  if (alg === "HS256" || alg === "HS384" || alg === "HS512") {
    const kid = randomBytes(12).toString("base64url");
    const secret = randomBytes(HMAC_BYTES[alg]).toString("base64url");
    return { alg, kid, secret, secretEncoding: "base64url", configKey: { kid, secret, secretEncoding: "base64url" } };
  }
  const { privateKey, publicKey } = generatePair(alg);
  const bare = publicKey.export({ format: "jwk" }) as Jwk;
  const kid = jwkThumbprint(bare);
  const privateKeyPem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  return {
    alg,
    kid,
    privateKeyPem,
    privateJwk: { ...(privateKey.export({ format: "jwk" }) as Jwk), kid, alg },
    publicJwk: { ...bare, kid, alg, use: "sig" },
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
    configKey: { kid, privateKey: privateKeyPem },
  };
}
