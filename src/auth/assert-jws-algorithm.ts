import { errors } from "jose";

/**
 * Reads a JWS header's `alg` and checks it against the allowlist with jose's checks, classes and
 * messages (`lib/jws_verify.js`), so the Node fast paths fail exactly where jose fails.
 *
 * @throws jose's `JWSInvalid` when `alg` is missing or not a non-empty string, `JOSEAlgNotAllowed`
 *   when it is not listed.
 * @example
 * ```ts
 * const alg = assertJwsAlgorithm(decoded.header, ["ES256"]); // "ES256"
 * ```
 */
export function assertJwsAlgorithm(header: Record<string, unknown>, algorithms: readonly string[]): string {
  const { alg } = header;
  if (typeof alg !== "string" || !alg) {
    throw new errors.JWSInvalid('JWS "alg" (Algorithm) Header Parameter missing or invalid');
  }
  if (!algorithms.includes(alg)) {
    throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  }
  return alg;
}
