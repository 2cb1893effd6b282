import { base64url, type CryptoKey, type RemoteJWKSet } from "jose";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import { createKeySelector, type KeySelector } from "./create-key-selector.js";
import { importVerificationKeys, type VerificationKey } from "./import-verification-keys.js";
import type { NodeJwtOptions } from "./node-hmac-jwt.js";
import type { ParsedVerifyOptions } from "./parse-verify-options.js";

/** The Node-only half of the verifier, loaded lazily. */
export type NodeFastPath = typeof import("./node-hmac-jwt.js") &
  typeof import("./node-public-key-jwt.js") &
  typeof import("./decode-compact-jwt.js");
/** A key imported for `node:crypto`: an HS* secret, a P-256 or an Ed25519 public key. */
export type NodeKey = ReturnType<NodeFastPath["nodeSecretKey"]>;

/** A configured key with what each request needs precomputed. */
export interface PreparedKey extends VerificationKey {
  /** jose's options for this key: its own algorithms and the configured claim checks. */
  claims: NodeJwtOptions;
  /** On the Node fast path, the key for `node:crypto` (HS*, ES256 and EdDSA keys; RSA goes to jose). */
  nodeKey?: NodeKey;
}

/** A verifier's keys and options, made ready once for every request. */
export interface PreparedVerifier {
  /** The keys to try for a token's `alg` and `kid`. */
  select: KeySelector<PreparedKey>;
  /** Every algorithm some key (or the remote set) verifies. */
  allowed: ReadonlySet<JwtAlgorithm>;
  /** The `jwksUrl` key set and jose's options for it (its non-HS algorithms). */
  remote?: { jwks: RemoteJWKSet; claims: NodeJwtOptions };
  /** Present on Node unless `nodeFastPath: false`. */
  fast?: NodeFastPath;
  /** base64url(SHA-256), with `node:crypto` when it is there. */
  hash: (bytes: Uint8Array) => string | Promise<string>;
}

const webSha256 = async (bytes: Uint8Array) =>
  base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));

function claimOptions(options: ParsedVerifyOptions, algorithms: string[]): NodeJwtOptions {
  const out: NodeJwtOptions = {
    algorithms,
    requiredClaims: ["exp"],
    clockTolerance: options.clockTolerance,
    maxTokenAge: options.maxTokenAge,
  };
  if (options.issuer !== undefined) out.issuer = options.issuer;
  if (options.audience !== undefined) out.audience = options.audience;
  if (options.subject !== undefined) out.subject = options.subject;
  return out;
}

/** A `CryptoKey` that `node:crypto` cannot adopt (e.g. from a Web Crypto polyfill) stays with jose. */
function nodeKeyOrJose(fast: NodeFastPath, key: CryptoKey): NodeKey | undefined {
  try {
    return fast.nodePublicKey(key);
  } catch {
    return undefined;
  }
}

/**
 * Imports a verifier's keys once and precomputes what each request would otherwise rebuild: jose's
 * claim options per key, the key selection by `alg` and `kid`, and on Node the `node:crypto` keys
 * of the fast path. Rejects with `ConfigValidationError` for an unusable key.
 *
 * @example
 * ```ts
 * const prepared = await prepareTokenVerifier(parseVerifyOptions({ secret: process.env.FEEDBACK_SECRET! }));
 * prepared.select("HS256", undefined).keys.length; // 1
 * ```
 */
export async function prepareTokenVerifier(options: ParsedVerifyOptions): Promise<PreparedVerifier> {
  const ring = await importVerificationKeys(options);
  // Loaded lazily so the verifier's module graph never names node:crypto: it also runs on
  // Workers and Deno, where jose (Web Crypto) is the only path.
  const fast: NodeFastPath | undefined = options.nodeFastPath
    ? await Promise.all([
        import("./node-hmac-jwt.js"),
        import("./node-public-key-jwt.js"),
        import("./decode-compact-jwt.js"),
      ]).then(
        ([hmac, publicKey, decode]) => ({ ...hmac, ...publicKey, ...decode }),
        () => undefined,
      )
    : undefined;
  const keys = ring.keys.map((key): PreparedKey => {
    const entry: PreparedKey = { ...key, claims: claimOptions(options, [...key.keys.keys()]) };
    if (fast === undefined) return entry;
    const publicKey = key.keys.get("ES256") ?? key.keys.get("EdDSA");
    if (key.secret !== undefined) entry.nodeKey = fast.nodeSecretKey(key.secret);
    else if (publicKey !== undefined) entry.nodeKey = nodeKeyOrJose(fast, publicKey);
    return entry;
  });
  const p: PreparedVerifier = { select: createKeySelector(keys), allowed: ring.allowed, hash: webSha256 };
  if (ring.remote !== undefined) {
    const algorithms = [...ring.allowed].filter((a) => !a.startsWith("HS"));
    p.remote = { jwks: ring.remote, claims: claimOptions(options, algorithms) };
  }
  if (fast !== undefined) {
    p.fast = fast;
    p.hash = fast.nodeSha256Base64url;
  }
  return p;
}
