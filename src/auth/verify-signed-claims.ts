import { type CryptoKey, decodeProtectedHeader, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import { VerificationError } from "../errors.js";
import type { KeySelection } from "./create-key-selector.js";
import type { NodeJwtOptions } from "./node-hmac-jwt.js";
import type { NodeKey, PreparedKey, PreparedVerifier } from "./prepare-token-verifier.js";

type JoseHeader = Record<string, unknown>;

/** The verifier's clock, in milliseconds: read at each key attempt, as jose reads `currentDate`. */
type Clock = () => number;

/** jose's options for one attempt: `currentDate` is the only per-call part. */
const joseOptions = (claims: NodeJwtOptions, clock: Clock) => ({ ...claims, currentDate: new Date(clock()) });

/** jose's `epoch(currentDate)`: whole Unix seconds of the clock, as a `Date` would hold it. */
const epochSeconds = (clock: Clock) => Math.floor(new Date(clock()).getTime() / 1000);

async function verifyWithRemote(remote: NonNullable<PreparedVerifier["remote"]>, jwt: string, clock: Clock) {
  const opts = joseOptions(remote.claims, clock);
  const getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await remote.jwks(header, token);
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

/** What happens when no configured key verified the token: the remote set, or the last failure. */
function afterConfiguredKeys(
  p: PreparedVerifier,
  jwt: string,
  header: JoseHeader,
  byKid: boolean,
  failure: unknown,
  clock: Clock,
): Promise<JWTPayload> {
  const alg = header.alg as JwtAlgorithm;
  if (p.remote && !byKid && !alg.startsWith("HS")) return verifyWithRemote(p.remote, jwt, clock);
  if (failure !== undefined) throw failure;
  throw new VerificationError(
    "key_not_found",
    header.kid === undefined ? `No configured key verifies ${alg} tokens.` : "No configured key has the token's kid.",
  );
}

async function verifyWithJose(
  p: PreparedVerifier,
  jwt: string,
  header: JoseHeader,
  { keys, byKid }: KeySelection<PreparedKey>,
  clock: Clock,
): Promise<JWTPayload> {
  const alg = header.alg as JwtAlgorithm;
  let failure: unknown;
  for (const key of keys) {
    try {
      return (await jwtVerify(jwt, key.keys.get(alg) as CryptoKey, joseOptions(key.claims, clock))).payload;
    } catch (e) {
      if (!(e instanceof errors.JWSSignatureVerificationFailed)) throw e;
      failure = e;
    }
  }
  return afterConfiguredKeys(p, jwt, header, byKid, failure, clock);
}

const hasNodeKey = (key: PreparedKey): key is PreparedKey & { nodeKey: NodeKey } => key.nodeKey !== undefined;

/**
 * Verifies a compact JWT's signature and claims with the prepared keys: `alg` on the allowlist,
 * the keys chosen by `kid`, each tried until one verifies, then the `jwksUrl` set if no configured
 * key has the token's `kid`. Synchronous when the token takes the Node fast path (canonical
 * encoding, no `crit`, HS*, ES256 or EdDSA keys), so no promise is created; otherwise jose verifies.
 * Throws (or rejects with) jose's errors or a `VerificationError`.
 *
 * @example
 * ```ts
 * const claims = await verifySignedClaims(prepared, jwt, Date.now);
 * ```
 */
export function verifySignedClaims(p: PreparedVerifier, jwt: string, clock: Clock): JWTPayload | Promise<JWTPayload> {
  const decoded = p.fast?.decodeCompactJwt(jwt);
  let header: JoseHeader;
  if (decoded !== undefined) {
    header = decoded.header;
  } else {
    try {
      header = decodeProtectedHeader(jwt);
    } catch (cause) {
      throw new VerificationError("malformed", "Token is not a well-formed signed JWT.", { cause });
    }
  }
  const alg = header.alg as JwtAlgorithm;
  if (typeof alg !== "string" || !p.allowed.has(alg)) {
    const shown = typeof alg === "string" && /^[A-Za-z0-9]{1,16}$/.test(alg) ? `"${alg}"` : "(invalid)";
    throw new VerificationError(
      "algorithm",
      `Token algorithm ${shown} is not accepted; allowed: ${[...p.allowed].join(", ")}.`,
    );
  }
  const selection = p.select(alg, header.kid);
  const { keys } = selection;
  // Only HS*, P-256 and Ed25519 keys carry a node key; RSA keys and odd tokens go to jose.
  if (decoded === undefined || p.fast === undefined || !keys.every(hasNodeKey)) {
    return verifyWithJose(p, jwt, header, selection, clock);
  }
  // A key verifies one family only (selection went by alg), so the alg picks the primitive.
  const verifyWithNode = alg.startsWith("HS") ? p.fast.verifyHmacJwt : p.fast.verifyPublicKeyJwt;
  let failure: unknown;
  for (const key of keys) {
    try {
      return verifyWithNode(decoded, key.nodeKey, key.claims, epochSeconds(clock));
    } catch (e) {
      if (!(e instanceof errors.JWSSignatureVerificationFailed)) throw e;
      failure = e;
    }
  }
  return afterConfiguredKeys(p, jwt, header, selection.byKid, failure, clock);
}
