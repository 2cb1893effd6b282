import { type JwtAlgorithm, JWT_ALGORITHMS } from "../config/auth-config-schema.js";
import { MIN_HMAC_SECRET_BYTES } from "../config/normalize-auth.js";
import { ConfigValidationError, type Issue } from "../errors.js";
import { decodeSecret, SECRET_ENCODINGS, type SecretEncoding } from "./decode-secret.js";
import { type ParsedPublicKey, parsePublicKey } from "./parse-public-key.js";
import type { HmacSecretInput, JwksFetchOptions, VerifyTokenOptions } from "./verify-token-options.js";

/** A validated shared secret. */
export interface ParsedSecret {
  kid?: string;
  bytes: Uint8Array;
  algs: JwtAlgorithm[];
}

/** {@link VerifyTokenOptions} after validation, with defaults applied. */
export interface ParsedVerifyOptions {
  secrets: ParsedSecret[];
  publicKeys: ParsedPublicKey[];
  jwksUrl?: URL;
  jwksFetch?: JwksFetchOptions;
  issuer?: string | string[];
  audience?: string | string[];
  subject?: string;
  algorithms?: ReadonlySet<JwtAlgorithm>;
  clockTolerance: number;
  maxTokenAge: number;
  requireBodyHash: boolean;
  now: () => number;
  nodeFastPath: boolean;
}

const HMAC_ALGS: JwtAlgorithm[] = ["HS256", "HS384", "HS512"];
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

function parseSecret(input: HmacSecretInput, path: string, issues: Issue[]): ParsedSecret | undefined {
  const obj = typeof input === "object" && !(input instanceof Uint8Array) ? input : { secret: input };
  const encoding: SecretEncoding = obj.secretEncoding ?? "utf8";
  if (!SECRET_ENCODINGS.includes(encoding)) {
    issues.push({ path: `${path}.secretEncoding`, message: `must be one of ${SECRET_ENCODINGS.join(", ")}` });
    return undefined;
  }
  if (obj.alg !== undefined && !(HMAC_ALGS as string[]).includes(obj.alg)) {
    issues.push({ path: `${path}.alg`, message: "a shared secret signs HS256, HS384 or HS512 only" });
  }
  if (obj.kid !== undefined && typeof obj.kid !== "string")
    issues.push({ path: `${path}.kid`, message: "must be a string" });
  if (typeof obj.secret !== "string" && !(obj.secret instanceof Uint8Array)) {
    issues.push({ path, message: "a secret is a string or a Uint8Array" });
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = decodeSecret(obj.secret, encoding);
  } catch (e) {
    issues.push({ path, message: (e as Error).message });
    return undefined;
  }
  if (bytes.length < MIN_HMAC_SECRET_BYTES) {
    issues.push({
      path,
      message: `an HMAC secret must be at least ${MIN_HMAC_SECRET_BYTES} random bytes, got ${bytes.length}`,
    });
  }
  const parsed: ParsedSecret = { bytes, algs: obj.alg === undefined ? HMAC_ALGS : [obj.alg] };
  if (obj.kid !== undefined) parsed.kid = obj.kid;
  return parsed;
}

function parseJwksUrl(value: string | URL, issues: Issue[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issues.push({ path: "jwksUrl", message: "is not an absolute URL" });
    return undefined;
  }
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname))) return url;
  issues.push({ path: "jwksUrl", message: "must use https: (http: only on localhost/loopback, for development)" });
  return undefined;
}

function checkStrings(value: unknown, path: string, issues: Issue[]): void {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== "string" || v === "")) {
    issues.push({ path, message: "must be a non-empty string or a non-empty array of them" });
  }
}

function checkSeconds(value: unknown, path: string, min: number, issues: Issue[]): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    issues.push({ path, message: `must be a finite number of seconds ≥ ${min}` });
  }
}

/**
 * Validates verifier options once, synchronously: key sources present, secrets strong enough,
 * public key material public, URLs and numbers sane. Throws one {@link ConfigValidationError}
 * listing every problem; no message contains a secret or key.
 *
 * @example
 * ```ts
 * const parsed = parseVerifyOptions({ secret: process.env.FEEDBACK_SECRET! });
 * ```
 */
export function parseVerifyOptions(options: VerifyTokenOptions): ParsedVerifyOptions {
  const issues: Issue[] = [];
  const secretInputs =
    options.secret === undefined ? [] : Array.isArray(options.secret) ? options.secret : [options.secret];
  const secrets = secretInputs
    .map((s, i) => parseSecret(s, Array.isArray(options.secret) ? `secret[${i}]` : "secret", issues))
    .filter((s) => s !== undefined);
  const keyInputs = [
    ...(options.publicKey === undefined ? [] : [{ input: options.publicKey, path: "publicKey" }]),
    ...(options.publicKeys ?? []).map((input, i) => ({ input, path: `publicKeys[${i}]` })),
  ];
  if (options.jwks !== undefined && !Array.isArray(options.jwks?.keys)) {
    issues.push({ path: "jwks", message: "must be a JSON Web Key Set: { keys: [...] }" });
  }
  const jwksInputs = (Array.isArray(options.jwks?.keys) ? options.jwks.keys : [])
    .map((input, i) => ({ input, path: `jwks.keys[${i}]` }))
    // A published set may also list encryption keys; they are not ours to use.
    .filter(({ input }) => input?.use !== "enc");
  const publicKeys = [...keyInputs, ...jwksInputs]
    .map(({ input, path }) => parsePublicKey(input, path, issues))
    .filter((k) => k !== undefined);
  const jwksUrl = options.jwksUrl === undefined ? undefined : parseJwksUrl(options.jwksUrl, issues);
  if (secretInputs.length + keyInputs.length + jwksInputs.length === 0 && options.jwksUrl === undefined) {
    issues.push({ path: "", message: "give at least one key source: secret, publicKey, publicKeys, jwks or jwksUrl" });
  }
  if (options.algorithms !== undefined) {
    const unknown = options.algorithms.filter((a) => !(JWT_ALGORITHMS as readonly string[]).includes(a));
    if (options.algorithms.length === 0 || unknown.length > 0) {
      issues.push({ path: "algorithms", message: `must list some of ${JWT_ALGORITHMS.join(", ")} (never "none")` });
    }
  }
  if (options.issuer !== undefined) checkStrings(options.issuer, "issuer", issues);
  if (options.audience !== undefined) checkStrings(options.audience, "audience", issues);
  if (options.subject !== undefined) checkStrings(options.subject, "subject", issues);
  if (options.clockTolerance !== undefined) checkSeconds(options.clockTolerance, "clockTolerance", 0, issues);
  if (options.maxTokenAge !== undefined) checkSeconds(options.maxTokenAge, "maxTokenAge", 1, issues);
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid token verification options" });
  const parsed: ParsedVerifyOptions = {
    secrets,
    publicKeys,
    clockTolerance: options.clockTolerance ?? 30,
    maxTokenAge: options.maxTokenAge ?? 300,
    requireBodyHash: options.requireBodyHash ?? true,
    now: options.now ?? Date.now,
    nodeFastPath: options.nodeFastPath ?? typeof globalThis.process?.versions?.node === "string",
  };
  if (jwksUrl !== undefined) parsed.jwksUrl = jwksUrl;
  if (options.jwksFetch !== undefined) parsed.jwksFetch = options.jwksFetch;
  if (options.issuer !== undefined) parsed.issuer = options.issuer;
  if (options.audience !== undefined) parsed.audience = options.audience;
  if (options.subject !== undefined) parsed.subject = options.subject;
  if (options.algorithms !== undefined) parsed.algorithms = new Set(options.algorithms);
  return parsed;
}
