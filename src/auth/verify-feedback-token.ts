import {
  base64url,
  type CryptoKey,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
  type RemoteJWKSet,
} from "jose";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import { VerificationError } from "../errors.js";
import type { FeedbackTokenClaims } from "./feedback-token-claims.js";
import type { HmacJwtOptions } from "./node-hmac-jwt.js";
import { importVerificationKeys, type KeyRing, type VerificationKey } from "./import-verification-keys.js";
import { type ParsedVerifyOptions, parseVerifyOptions } from "./parse-verify-options.js";
import { toVerificationError } from "./to-verification-error.js";
import type { VerifyTokenOptions } from "./verify-token-options.js";

/** Tokens longer than this are refused before any decoding (a feedback token is < 2 KB). */
export const MAX_TOKEN_LENGTH = 8192;

/**
 * A verifier with its keys imported once; call it per request.
 *
 * @example
 * ```ts
 * const verify: TokenVerifier = createTokenVerifier(options);
 * await verify.ready(); // optional: fail at startup on an unusable key
 * const claims = await verify(request.headers.get("authorization"), rawBody);
 * ```
 */
export interface TokenVerifier {
  /** Verifies a token (with or without the `Bearer ` prefix) against the raw body bytes. */
  (token: string | null | undefined, body: string | Uint8Array): Promise<FeedbackTokenClaims>;
  /** Resolves once every key is imported; rejects with `ConfigValidationError` for an unusable key. */
  ready(): Promise<void>;
}

type NodeFastPath = typeof import("./node-hmac-jwt.js");
type NodeKey = ReturnType<NodeFastPath["nodeSecretKey"]>;

interface Prepared {
  ring: KeyRing;
  fast?: { lib: NodeFastPath; keys: Map<VerificationKey, NodeKey> };
  hash: (bytes: Uint8Array) => string | Promise<string>;
}

const webSha256 = async (bytes: Uint8Array) =>
  base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)));

async function prepare(options: ParsedVerifyOptions): Promise<Prepared> {
  const ring = await importVerificationKeys(options);
  // Loaded lazily so the verifier's module graph never names node:crypto: it also runs on
  // Workers and Deno, where jose (Web Crypto) is the only path.
  const lib = options.nodeFastPath ? await import("./node-hmac-jwt.js").catch(() => undefined) : undefined;
  if (lib === undefined) return { ring, hash: webSha256 };
  const keys = new Map<VerificationKey, NodeKey>();
  for (const k of ring.keys) if (k.secret !== undefined) keys.set(k, lib.nodeSecretKey(k.secret));
  return { ring, fast: { lib, keys }, hash: lib.nodeSha256Base64url };
}

function claimOptions(options: ParsedVerifyOptions, algorithms: string[]): HmacJwtOptions {
  const out: HmacJwtOptions = {
    algorithms,
    requiredClaims: ["exp"],
    clockTolerance: options.clockTolerance,
    maxTokenAge: options.maxTokenAge,
    currentDate: new Date(options.now()),
  };
  if (options.issuer !== undefined) out.issuer = options.issuer;
  if (options.audience !== undefined) out.audience = options.audience;
  if (options.subject !== undefined) out.subject = options.subject;
  return out;
}

async function verifyWithKey(
  p: Prepared,
  key: VerificationKey,
  jwt: string,
  alg: JwtAlgorithm,
  o: ParsedVerifyOptions,
) {
  const opts = claimOptions(o, [...key.keys.keys()]);
  const nodeKey = p.fast?.keys.get(key);
  if (p.fast && nodeKey) {
    const out = p.fast.lib.verifyHmacJwt(jwt, () => nodeKey, opts);
    if (out !== p.fast.lib.DELEGATE) return out;
  }
  return (await jwtVerify(jwt, key.keys.get(alg) as CryptoKey, opts)).payload;
}

async function verifyWithRemote(remote: RemoteJWKSet, jwt: string, algorithms: string[], o: ParsedVerifyOptions) {
  const opts = claimOptions(o, algorithms);
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote(header, token);
    } catch (e) {
      if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) throw e;
      throw new VerificationError("key_not_found", "Could not load the JSON Web Key Set from jwksUrl.", { cause: e });
    }
  };
  try {
    return (await jwtVerify(jwt, getKey, opts)).payload;
  } catch (e) {
    if (!(e instanceof errors.JWKSMultipleMatchingKeys)) throw e;
    // Several keys share the token's kid (or there is no kid): try each, as jose documents.
    for await (const key of e) {
      try {
        return (await jwtVerify(jwt, key, opts)).payload;
      } catch (inner) {
        if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

async function verifySignedClaims(p: Prepared, jwt: string, o: ParsedVerifyOptions): Promise<JWTPayload> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (cause) {
    throw new VerificationError("malformed", "Token is not a well-formed signed JWT.", { cause });
  }
  const alg = header.alg as JwtAlgorithm;
  if (typeof alg !== "string" || !p.ring.allowed.has(alg)) {
    const shown = typeof alg === "string" && /^[A-Za-z0-9]{1,16}$/.test(alg) ? `"${alg}"` : "(invalid)";
    throw new VerificationError(
      "algorithm",
      `Token algorithm ${shown} is not accepted; allowed: ${[...p.ring.allowed].join(", ")}.`,
    );
  }
  const usable = p.ring.keys.filter((k) => k.keys.has(alg));
  const named = typeof header.kid === "string" ? usable.filter((k) => k.kid === header.kid) : [];
  // Select by kid when a configured key carries it; otherwise try each key without a
  // contradicting kid (rotation with keys that never had ids).
  const candidates = named.length > 0 ? named : usable.filter((k) => k.kid === undefined || header.kid === undefined);
  let failure: unknown;
  for (const key of candidates) {
    try {
      return await verifyWithKey(p, key, jwt, alg, o);
    } catch (e) {
      if (!(e instanceof errors.JWSSignatureVerificationFailed)) throw e;
      failure = e;
    }
  }
  if (p.ring.remote && named.length === 0 && !alg.startsWith("HS")) {
    return verifyWithRemote(
      p.ring.remote,
      jwt,
      [...p.ring.allowed].filter((a) => !a.startsWith("HS")),
      o,
    );
  }
  if (failure !== undefined) throw failure;
  throw new VerificationError(
    "key_not_found",
    header.kid === undefined ? `No configured key verifies ${alg} tokens.` : "No configured key has the token's kid.",
  );
}

/**
 * Creates a feedback-token verifier: options are validated now (synchronously) and keys imported
 * once, so each call only verifies. Checks, in order: token present and ≤ 8 KB, well-formed, `alg`
 * allowed for the key types (never `none`), key by `kid` (else each key), signature, `iss`/`aud`/
 * `sub` when configured, `exp`, `nbf`, `iat` not in the future beyond `clockTolerance` nor older
 * than `maxTokenAge`, and `body_sha256` equal to the hash of the received bytes. Every failure is
 * a `VerificationError` with a `reason`; bad options throw `ConfigValidationError`.
 *
 * @example
 * ```ts
 * const verify = createTokenVerifier({ secret: process.env.FEEDBACK_SECRET!, issuer: "https://platform.example.com" });
 * const claims = await verify(request.headers.get("authorization"), rawBody);
 * ```
 */
export function createTokenVerifier(options: VerifyTokenOptions): TokenVerifier {
  const parsed = parseVerifyOptions(options);
  const prepared = prepare(parsed);
  // Key errors surface through ready() and every call; never as an unhandled rejection.
  prepared.catch(() => undefined);
  const verify = async (token: string | null | undefined, body: string | Uint8Array): Promise<FeedbackTokenClaims> => {
    const p = await prepared;
    if (typeof token !== "string" || token.trim() === "") {
      throw new VerificationError("missing", "No token: expected an Authorization: Bearer <jwt> header.");
    }
    const jwt = token.replace(/^\s*bearer\s+/i, "").trim();
    if (jwt.length > MAX_TOKEN_LENGTH) {
      throw new VerificationError("malformed", `Token is longer than ${MAX_TOKEN_LENGTH} characters.`);
    }
    let claims: JWTPayload;
    try {
      claims = await verifySignedClaims(p, jwt, parsed);
    } catch (e) {
      throw toVerificationError(e);
    }
    const claimed = claims.body_sha256;
    if (claimed === undefined && parsed.requireBodyHash) {
      throw new VerificationError("claim", 'Token claim "body_sha256" is missing (required by default).');
    }
    if (claimed !== undefined) {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
      // Not a secret comparison: the attacker knows the body, so plain equality is fine.
      if (claimed !== (await p.hash(bytes))) {
        throw new VerificationError("body_mismatch", "The body does not match the token's body_sha256 claim.");
      }
    }
    return claims as FeedbackTokenClaims;
  };
  return Object.assign(verify, { ready: () => prepared.then(() => undefined) });
}

const verifiers = new WeakMap<VerifyTokenOptions, TokenVerifier>();

/**
 * Verifies one feedback token against the raw request body. The verifier (and its imported keys)
 * is cached per `options` object, so pass the same object each time — or hold a
 * {@link createTokenVerifier} yourself. See {@link createTokenVerifier} for what is checked.
 *
 * @example
 * ```ts
 * const options = { publicKey: process.env.FEEDBACK_PUBLIC_KEY!, audience: "https://hooks.example.com/feedback" };
 * const claims = await verifyFeedbackToken(bearerToken, rawBody, options);
 * ```
 */
export async function verifyFeedbackToken(
  token: string,
  body: string | Uint8Array,
  options: VerifyTokenOptions,
): Promise<FeedbackTokenClaims> {
  let verifier = verifiers.get(options);
  if (verifier === undefined) {
    verifier = createTokenVerifier(options);
    verifiers.set(options, verifier);
  }
  return verifier(token, body);
}
