import { errors, type JWTPayload } from "jose";

/**
 * The subset of jose's `JWTVerifyOptions` the feedback verifier uses, with numbers only and
 * without `currentDate`: the time is an argument, so one options object serves every call.
 */
export interface JwtClaimsOptions {
  issuer?: string | string[];
  audience?: string | string[];
  subject?: string;
  requiredClaims?: string[];
  /** Seconds. */
  clockTolerance: number;
  /** Seconds. */
  maxTokenAge: number;
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * jose's notion of a "plain object" (`lib/validate.js`), copied so both paths agree on edge cases.
 *
 * @example
 * ```ts
 * isPlainObject(JSON.parse("{}")); // true
 * isPlainObject(JSON.parse("[]")); // false
 * ```
 */
export function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== "object" || input === null || Object.prototype.toString.call(input) !== "[object Object]") {
    return false;
  }
  const proto = Object.getPrototypeOf(input);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function numericDate(claims: JWTPayload, claim: string, required: boolean): number | undefined {
  const value = claims[claim];
  if (value === undefined && !required) return undefined;
  if (typeof value !== "number") {
    throw new errors.JWTClaimValidationFailed(`"${claim}" claim must be a number`, claims, claim, "invalid");
  }
  return value;
}

const unexpected = (claims: JWTPayload, claim: string) =>
  new errors.JWTClaimValidationFailed(`unexpected "${claim}" claim value`, claims, claim, "check_failed");

/**
 * Validates a JWT claims set exactly as jose 6 `jwtVerify` does (`lib/jwt_claims_set.js`): same
 * checks, same order, same error classes and messages. The Node fast path needs it because jose
 * does not export its validator; the differential test (`test/auth/fast-path-differential.test.ts`)
 * holds the two to the same results. `now` is jose's `currentDate` in whole Unix seconds.
 *
 * @example
 * ```ts
 * const claims = validateJwtClaims(payloadBytes, { clockTolerance: 30, maxTokenAge: 300 }, Math.floor(Date.now() / 1000));
 * ```
 */
export function validateJwtClaims(payload: Uint8Array, options: JwtClaimsOptions, now: number): JWTPayload {
  let claims: unknown;
  try {
    claims = JSON.parse(strictDecoder.decode(payload));
  } catch (cause) {
    throw new errors.JWTInvalid("JWT Claims Set must be a top-level JSON object", { cause });
  }
  if (!isPlainObject(claims)) throw new errors.JWTInvalid("JWT Claims Set must be a top-level JSON object");
  const set = claims as JWTPayload;
  const { issuer, subject, audience } = options;
  const presence = [...(options.requiredClaims ?? []), "iat"];
  if (audience !== undefined) presence.push("aud");
  if (subject !== undefined) presence.push("sub");
  if (issuer !== undefined) presence.push("iss");
  for (const claim of new Set(presence.reverse())) {
    if (!Object.hasOwn(set, claim)) {
      throw new errors.JWTClaimValidationFailed(`missing required "${claim}" claim`, set, claim, "missing");
    }
  }
  if (issuer !== undefined && !(Array.isArray(issuer) ? issuer : [issuer]).includes(set.iss as string)) {
    throw unexpected(set, "iss");
  }
  if (subject !== undefined && set.sub !== subject) throw unexpected(set, "sub");
  if (audience !== undefined) {
    const wanted = typeof audience === "string" ? [audience] : audience;
    const aud: unknown = set.aud;
    const present =
      typeof aud === "string" ? wanted.includes(aud) : Array.isArray(aud) && wanted.some((a) => aud.includes(a));
    if (!present) throw unexpected(set, "aud");
  }
  const tolerance = options.clockTolerance;
  // jose refuses a clock that is not a finite number rather than let every time check pass.
  if (!Number.isFinite(now)) throw new TypeError("Invalid currentDate option input");
  const iat = numericDate(set, "iat", true) as number;
  const nbf = numericDate(set, "nbf", false);
  if (nbf !== undefined && nbf > now + tolerance) {
    throw new errors.JWTClaimValidationFailed('"nbf" claim timestamp check failed', set, "nbf", "check_failed");
  }
  const exp = numericDate(set, "exp", false);
  if (exp !== undefined && exp <= now - tolerance) {
    throw new errors.JWTExpired('"exp" claim timestamp check failed', set, "exp", "check_failed");
  }
  const age = now - iat;
  if (age - tolerance > options.maxTokenAge) {
    throw new errors.JWTExpired('"iat" claim timestamp check failed (too far in the past)', set, "iat", "check_failed");
  }
  if (age < -tolerance) {
    throw new errors.JWTClaimValidationFailed(
      '"iat" claim timestamp check failed (it should be in the past)',
      set,
      "iat",
      "check_failed",
    );
  }
  return set;
}
