import { KeyObject, verify } from "node:crypto";
import { type CryptoKey, errors, type JWTPayload } from "jose";
import { assertJwsAlgorithm } from "./assert-jws-algorithm.js";
import type { DecodedJwt } from "./decode-compact-jwt.js";
import type { NodeJwtOptions } from "./node-hmac-jwt.js";
import { validateJwtClaims } from "./validate-jwt-claims.js";

// `null`: Ed25519 hashes internally. ES256 signatures are JWS's IEEE P1363 r||s, not DER.
const SIGNATURE: ReadonlyMap<string, { digest: string | null; dsaEncoding?: "ieee-p1363" }> = new Map([
  ["ES256", { digest: "sha256", dsaEncoding: "ieee-p1363" }],
  ["EdDSA", { digest: null }],
]);

/**
 * Verifies an ES256 or EdDSA (Ed25519) JWT, decoded by {@link decodeCompactJwt}, with
 * `node:crypto`'s one-shot `verify`, accepting and rejecting exactly what jose's `jwtVerify` does
 * for that token, with the same error classes and messages, without Web Crypto's promise per
 * call. `key` must be the public key for the header's `alg` (see {@link nodePublicKey}); `now` is
 * the current time in Unix seconds.
 *
 * @throws `TypeError` for a header `alg` other than ES256 and EdDSA that `options.algorithms`
 *   allows: such tokens are jose's to verify.
 * @example
 * ```ts
 * const claims = verifyPublicKeyJwt(decoded, nodePublicKey(cryptoKey), { algorithms: ["ES256"], clockTolerance: 30, maxTokenAge: 300 }, Math.floor(Date.now() / 1000));
 * ```
 */
export function verifyPublicKeyJwt(jwt: DecodedJwt, key: KeyObject, options: NodeJwtOptions, now: number): JWTPayload {
  const alg = assertJwsAlgorithm(jwt.header, options.algorithms);
  const scheme = SIGNATURE.get(alg);
  if (scheme === undefined) throw new TypeError(`verifyPublicKeyJwt verifies ES256 and EdDSA only, not ${alg}`);
  const input = Buffer.from(jwt.signingInput, "latin1");
  const signature = Buffer.from(jwt.signature, "base64url");
  const keyInput = scheme.dsaEncoding === undefined ? key : { key, dsaEncoding: scheme.dsaEncoding };
  let verified: boolean;
  try {
    verified = verify(scheme.digest, input, keyInput, signature);
  } catch (cause) {
    // jose wraps a throwing Web Crypto verify the same way.
    throw new errors.JWSSignatureVerificationFailed("signature verification failed", { cause });
  }
  if (!verified) throw new errors.JWSSignatureVerificationFailed("signature verification failed");
  return validateJwtClaims(Buffer.from(jwt.payload, "base64url"), options, now);
}

/**
 * The `node:crypto` `KeyObject` of an imported public `CryptoKey` (the same key material), made
 * once per configured key so the fast path never converts per request.
 *
 * @example
 * ```ts
 * const key = nodePublicKey(await importJWK(publicJwk, "ES256") as CryptoKey);
 * ```
 */
export function nodePublicKey(key: CryptoKey): KeyObject {
  return KeyObject.from(key);
}
