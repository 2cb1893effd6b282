import { type CryptoKey, createRemoteJWKSet, importJWK, importSPKI, type JWK, type RemoteJWKSet } from "jose";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import { ConfigValidationError, type Issue } from "../errors.js";
import { ASYMMETRIC_ALGORITHMS, type ParsedPublicKey } from "./parse-public-key.js";
import type { ParsedVerifyOptions } from "./parse-verify-options.js";

/** One configured key, imported once per algorithm it may verify. */
export interface VerificationKey {
  kid?: string;
  /** The imported key per accepted algorithm (an RSA key verifies RS256 and PS256). */
  keys: Map<JwtAlgorithm, CryptoKey>;
  /** HS* secret bytes, kept for the Node fast path. */
  secret?: Uint8Array;
}

/** Every key of a verifier, imported, and the algorithms they allow together. */
export interface KeyRing {
  keys: VerificationKey[];
  allowed: ReadonlySet<JwtAlgorithm>;
  remote?: RemoteJWKSet;
}

const JWK_ALGS: Record<string, JwtAlgorithm[]> = { RSA: ["RS256", "PS256"], EC: ["ES256"], OKP: ["EdDSA"] };
const CRYPTOKEY_ALGS: Record<string, JwtAlgorithm> = {
  "RSASSA-PKCS1-v1_5/SHA-256": "RS256",
  "RSA-PSS/SHA-256": "PS256",
  "ECDSA/P-256": "ES256",
  "Ed25519/": "EdDSA",
};
const PUBLIC_MEMBERS = ["kty", "crv", "n", "e", "x", "y"];

function cryptoKeyAlg(key: CryptoKey): JwtAlgorithm | undefined {
  const a = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  return CRYPTOKEY_ALGS[`${a.name}/${a.hash?.name ?? a.namedCurve ?? ""}`];
}

async function importPem(pem: string, explicit: JwtAlgorithm | undefined, narrow: (a: JwtAlgorithm) => boolean) {
  // SPKI does not say which JWS algorithm it is for; each family's import only accepts its own
  // key type, so the first that succeeds tells the family.
  for (const family of [["RS256", "PS256"], ["ES256"], ["EdDSA"]] as JwtAlgorithm[][]) {
    const first = await importSPKI(pem, family[0] as string).catch(() => undefined);
    if (first === undefined) continue;
    if (explicit !== undefined && !family.includes(explicit)) throw new Error(`does not fit alg ${explicit}`);
    const keys = new Map<JwtAlgorithm, CryptoKey>();
    for (const alg of family.filter((a) => (explicit ?? a) === a && narrow(a))) {
      keys.set(alg, alg === family[0] ? first : await importSPKI(pem, alg));
    }
    return keys;
  }
  throw new Error("is not an RSA, EC P-256 or Ed25519 SPKI public key");
}

async function importPublicKey(key: ParsedPublicKey, narrow: (a: JwtAlgorithm) => boolean) {
  const { source } = key;
  if (source.kind === "cryptokey") {
    const alg = cryptoKeyAlg(source.key);
    if (alg === undefined || (key.alg !== undefined && key.alg !== alg)) {
      throw new Error("is a CryptoKey for an algorithm other than RS256, PS256, ES256 or EdDSA");
    }
    return new Map(narrow(alg) ? [[alg, source.key]] : []);
  }
  if (source.kind === "pem") return importPem(source.pem, key.alg, narrow);
  const jwk = source.kind === "jwk" ? source.jwk : source.key.export({ format: "jwk" });
  const family = JWK_ALGS[String(jwk.kty)] ?? [];
  if (key.alg !== undefined && !family.includes(key.alg)) throw new Error(`does not fit alg ${key.alg}`);
  // Keep only the key itself: `use`, `key_ops`, `ext` and `alg` were checked already and would
  // only make Web Crypto's import stricter in runtime-specific ways.
  const bare = Object.fromEntries(PUBLIC_MEMBERS.filter((m) => jwk[m] !== undefined).map((m) => [m, jwk[m]])) as JWK;
  const keys = new Map<JwtAlgorithm, CryptoKey>();
  for (const alg of (key.alg ? [key.alg] : family).filter(narrow))
    keys.set(alg, (await importJWK(bare, alg)) as CryptoKey);
  return keys;
}

function rsaTooShort(keys: Map<JwtAlgorithm, CryptoKey>): boolean {
  return [...keys.values()].some((k) => {
    const bits = (k.algorithm as { modulusLength?: number }).modulusLength;
    return bits !== undefined && bits < 2048;
  });
}

/**
 * Imports every key of a verifier once (Web Crypto via jose, so it runs on every runtime) and
 * derives the algorithm allowlist from the key types: HS* only for secrets, RS256/PS256 only for
 * RSA keys, ES256 for P-256, EdDSA for Ed25519 — an HS key can never verify an RS token or the
 * reverse. Throws {@link ConfigValidationError} for unusable keys.
 *
 * @example
 * ```ts
 * const ring = await importVerificationKeys(parseVerifyOptions({ publicKey: pem }));
 * ring.allowed; // Set { "RS256", "PS256" }
 * ```
 */
export async function importVerificationKeys(options: ParsedVerifyOptions): Promise<KeyRing> {
  const narrow = (alg: JwtAlgorithm) => options.algorithms === undefined || options.algorithms.has(alg);
  const issues: Issue[] = [];
  const keys: VerificationKey[] = [];
  for (const secret of options.secrets) {
    const entry: VerificationKey = { keys: new Map(), secret: secret.bytes };
    for (const alg of secret.algs.filter(narrow)) {
      const hash = { name: "HMAC", hash: `SHA-${alg.slice(2)}` };
      entry.keys.set(
        alg,
        await crypto.subtle.importKey("raw", secret.bytes as Uint8Array<ArrayBuffer>, hash, false, ["verify"]),
      );
    }
    if (secret.kid !== undefined) entry.kid = secret.kid;
    keys.push(entry);
  }
  for (const key of options.publicKeys) {
    try {
      const imported = await importPublicKey(key, narrow);
      if (rsaTooShort(imported)) throw new Error("is an RSA key shorter than 2048 bits");
      keys.push(key.kid === undefined ? { keys: imported } : { kid: key.kid, keys: imported });
    } catch (e) {
      // Only our own messages reach the issue: jose's may quote parts of the input.
      const own = e instanceof Error && /^(is|does) /.test(e.message);
      issues.push({ path: key.path, message: own ? (e as Error).message : "could not be imported as a public key" });
    }
  }
  const allowed = new Set<JwtAlgorithm>(keys.flatMap((k) => [...k.keys.keys()]));
  const ring: KeyRing = { keys: keys.filter((k) => k.keys.size > 0), allowed };
  if (options.jwksUrl !== undefined) {
    for (const alg of ASYMMETRIC_ALGORITHMS.filter(narrow)) allowed.add(alg);
    ring.remote = createRemoteJWKSet(options.jwksUrl, options.jwksFetch);
  }
  if (issues.length === 0 && allowed.size === 0) {
    issues.push({ path: "algorithms", message: "none of the listed algorithms fits the given keys" });
  }
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid token verification options" });
  return ring;
}
