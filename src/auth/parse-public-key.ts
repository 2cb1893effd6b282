import type { CryptoKey, KeyObject } from "jose";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import type { Issue } from "../errors.js";
import type { PublicKeyInput, PublicKeyMaterial } from "./verify-token-options.js";

/** Public key material after the synchronous checks, tagged with its kind. */
export type PublicKeySource =
  | { kind: "pem"; pem: string }
  | { kind: "jwk"; jwk: Record<string, unknown> }
  | { kind: "keyobject"; key: KeyObject & { export(options: { format: "jwk" }): Record<string, unknown> } }
  | { kind: "cryptokey"; key: CryptoKey };

/** A public key that passed the synchronous checks; imported later by `importVerificationKeys`. */
export interface ParsedPublicKey {
  source: PublicKeySource;
  kid?: string;
  alg?: JwtAlgorithm;
  path: string;
}

/** Algorithms a receiver accepts with public keys. */
export const ASYMMETRIC_ALGORITHMS: readonly JwtAlgorithm[] = ["RS256", "PS256", "ES256", "EdDSA"];

const tag = (value: unknown) => (value as { [Symbol.toStringTag]?: unknown })?.[Symbol.toStringTag];

function jwkIssue(jwk: Record<string, unknown>): string | undefined {
  if (jwk.d !== undefined || jwk.priv !== undefined) {
    return "is a private JWK; a receiver needs only the public key (drop d, p, q, dp, dq, qi)";
  }
  if (jwk.kty === "oct") return 'is a shared-secret ("oct") JWK; pass the secret as `secret`';
  if (jwk.use !== undefined && jwk.use !== "sig") return 'has "use" other than "sig"';
  const ok =
    jwk.kty === "RSA" || (jwk.kty === "EC" && jwk.crv === "P-256") || (jwk.kty === "OKP" && jwk.crv === "Ed25519");
  return ok ? undefined : "must be an RSA, EC P-256 or OKP Ed25519 public JWK";
}

function pemIssue(pem: string): string | undefined {
  if (pem.includes("-----BEGIN PUBLIC KEY-----")) return undefined;
  if (pem.includes("PRIVATE KEY")) {
    return "is a private key; a receiver needs only the public key (openssl pkey -pubout)";
  }
  if (pem.includes("CERTIFICATE")) return "is a certificate; give its SPKI public key (openssl x509 -pubkey -noout)";
  return 'must be an SPKI PEM ("-----BEGIN PUBLIC KEY-----"), a public JWK, a KeyObject or a CryptoKey';
}

function classify(material: PublicKeyMaterial): { source?: PublicKeySource; issue?: string } {
  if (typeof material === "string") {
    const issue = pemIssue(material);
    return issue ? { issue } : { source: { kind: "pem", pem: material } };
  }
  if (tag(material) === "KeyObject") {
    const key = material as KeyObject & { export(options: { format: "jwk" }): Record<string, unknown> };
    return key.type === "public"
      ? { source: { kind: "keyobject", key } }
      : { issue: `is a ${key.type} KeyObject; give the public key (createPublicKey(privateKey))` };
  }
  if (tag(material) === "CryptoKey") {
    const key = material as CryptoKey;
    return key.type === "public" ? { source: { kind: "cryptokey", key } } : { issue: `is a ${key.type} CryptoKey` };
  }
  if (typeof material === "object" && material !== null && typeof (material as { kty?: unknown }).kty === "string") {
    const jwk = material as Record<string, unknown>;
    const issue = jwkIssue(jwk);
    return issue ? { issue } : { source: { kind: "jwk", jwk } };
  }
  return { issue: "must be an SPKI PEM, a public JWK, a KeyObject or a CryptoKey" };
}

/**
 * Checks one public key input synchronously and records problems as issues at `path`. Never puts
 * key material in a message.
 *
 * @example
 * ```ts
 * const issues: Issue[] = [];
 * const key = parsePublicKey(publicJwk, "publicKeys[0]", issues);
 * ```
 */
export function parsePublicKey(input: PublicKeyInput, path: string, issues: Issue[]): ParsedPublicKey | undefined {
  const wrapped =
    typeof input === "object" && input !== null && "key" in input && tag(input) === undefined && !("kty" in input);
  const material = wrapped ? (input as { key: PublicKeyMaterial }).key : (input as PublicKeyMaterial);
  const { source, issue } = classify(material);
  const keyPath = wrapped ? `${path}.key` : path;
  if (issue !== undefined || source === undefined) {
    issues.push({ path: keyPath, message: issue ?? "is not a usable public key" });
    return undefined;
  }
  const own = source.kind === "jwk" ? source.jwk : {};
  const kid = wrapped ? (input as { kid?: unknown }).kid : own.kid;
  const alg = wrapped ? (input as { alg?: unknown }).alg : own.alg;
  if (kid !== undefined && typeof kid !== "string") issues.push({ path: `${path}.kid`, message: "must be a string" });
  if (alg !== undefined && !(ASYMMETRIC_ALGORITHMS as readonly unknown[]).includes(alg)) {
    issues.push({ path: `${path}.alg`, message: `must be one of ${ASYMMETRIC_ALGORITHMS.join(", ")}` });
  }
  const parsed: ParsedPublicKey = { source, path: keyPath };
  if (typeof kid === "string") parsed.kid = kid;
  if (typeof alg === "string") parsed.alg = alg as JwtAlgorithm;
  return parsed;
}
