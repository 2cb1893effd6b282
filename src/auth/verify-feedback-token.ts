import type { JWTPayload } from "jose";
import { VerificationError } from "../errors.js";
import type { FeedbackTokenClaims } from "./feedback-token-claims.js";
import { type ParsedVerifyOptions, parseVerifyOptions } from "./parse-verify-options.js";
import { type PreparedVerifier, prepareTokenVerifier } from "./prepare-token-verifier.js";
import { toVerificationError } from "./to-verification-error.js";
import { verifySignedClaims } from "./verify-signed-claims.js";
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

function bodyHashMatches(claims: JWTPayload, actual: string): FeedbackTokenClaims {
  // Not a secret comparison: the attacker knows the body, so plain equality is fine.
  if (claims.body_sha256 !== actual) {
    throw new VerificationError("body_mismatch", "The body does not match the token's body_sha256 claim.");
  }
  return claims as FeedbackTokenClaims;
}

function checkBodyHash(
  p: PreparedVerifier,
  options: ParsedVerifyOptions,
  claims: JWTPayload,
  body: string | Uint8Array,
): FeedbackTokenClaims | Promise<FeedbackTokenClaims> {
  if (claims.body_sha256 === undefined) {
    if (options.requireBodyHash) {
      throw new VerificationError("claim", 'Token claim "body_sha256" is missing (required by default).');
    }
    return claims as FeedbackTokenClaims;
  }
  const actual = p.hash(typeof body === "string" ? new TextEncoder().encode(body) : body);
  return typeof actual === "string" ? bodyHashMatches(claims, actual) : actual.then((a) => bodyHashMatches(claims, a));
}

function verifyToken(
  p: PreparedVerifier,
  options: ParsedVerifyOptions,
  token: string | null | undefined,
  body: string | Uint8Array,
): FeedbackTokenClaims | Promise<FeedbackTokenClaims> {
  if (typeof token !== "string" || token.trim() === "") {
    throw new VerificationError("missing", "No token: expected an Authorization: Bearer <jwt> header.");
  }
  const jwt = token.replace(/^\s*bearer\s+/i, "").trim();
  if (jwt.length > MAX_TOKEN_LENGTH) {
    throw new VerificationError("malformed", `Token is longer than ${MAX_TOKEN_LENGTH} characters.`);
  }
  let claims: JWTPayload | Promise<JWTPayload>;
  try {
    claims = verifySignedClaims(p, jwt, options.now);
  } catch (e) {
    throw toVerificationError(e);
  }
  if (claims instanceof Promise) {
    return claims.then(
      (verified) => checkBodyHash(p, options, verified, body),
      (e: unknown) => {
        throw toVerificationError(e);
      },
    );
  }
  return checkBodyHash(p, options, claims, body);
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
  let ready: PreparedVerifier | undefined;
  const prepared = prepareTokenVerifier(parsed).then((p) => {
    ready = p;
    return p;
  });
  // Key errors surface through ready() and every call; never as an unhandled rejection.
  prepared.catch(() => undefined);
  // The one async boundary of a verification: everything below it is synchronous on the fast path.
  const verify = async (token: string | null | undefined, body: string | Uint8Array): Promise<FeedbackTokenClaims> =>
    verifyToken(ready ?? (await prepared), parsed, token, body);
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
