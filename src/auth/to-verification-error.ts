import { errors } from "jose";
import { VerificationError } from "../errors.js";

/**
 * Maps whatever jose (or the Node fast path, which throws jose's classes) threw into a
 * {@link VerificationError} with a stable `reason`, keeping the original as `cause`. Messages are
 * our own: they name the failed check and never quote the token, a key or a secret.
 *
 * @example
 * ```ts
 * try { await jwtVerify(token, key) } catch (e) { throw toVerificationError(e) }
 * ```
 */
export function toVerificationError(error: unknown): VerificationError {
  if (error instanceof VerificationError) return error;
  const cause = { cause: error };
  if (error instanceof errors.JWTExpired) {
    return error.claim === "iat"
      ? new VerificationError("expired", "Token is older than maxTokenAge (iat too far in the past).", cause)
      : new VerificationError("expired", "Token has expired (exp is in the past).", cause);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if ((error.claim === "iat" || error.claim === "nbf") && error.reason === "check_failed") {
      return new VerificationError("not_yet_valid", `Token is not valid yet (${error.claim} is in the future).`, cause);
    }
    const what =
      { missing: "is missing", invalid: "has an invalid type" }[error.reason as string] ?? "has an unexpected value";
    return new VerificationError("claim", `Token claim "${error.claim}" ${what}.`, cause);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new VerificationError("algorithm", "Token algorithm is not accepted for the configured keys.", cause);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new VerificationError("signature", "Token signature does not verify with any configured key.", cause);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new VerificationError("key_not_found", "No key of the JSON Web Key Set matches the token.", cause);
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return new VerificationError("malformed", "Token is not a well-formed signed JWT.", cause);
  }
  return new VerificationError("signature", "Token could not be verified.", cause);
}
