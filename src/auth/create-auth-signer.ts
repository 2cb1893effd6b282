import { hash, randomUUID } from "node:crypto";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import type { Jwk, JwtAuthConfig, SigningKey, WebhookConfig } from "../config/webhook-config.js";
import { ConfigValidationError } from "../errors.js";
import { createStandardWebhooksSigner } from "./create-standard-webhooks-signer.js";
import { jwtSignerIssues, type KeySigner, loadKeySigner, type TokenHeader } from "./load-key-signer.js";
import { selectSigningKey } from "./select-signing-key.js";

/** One delivery attempt to sign. */
export interface SignInput {
  /** The exact body bytes that will be sent. */
  body: string | Uint8Array;
  /** The delivery id (`webhook-id`), stable across retries. */
  deliveryId: string;
  /** Unix seconds of this attempt (`webhook-timestamp`); the token's `iat`. */
  timestamp: number;
  /** The `requestId` of the feedback event. */
  requestId: string;
}

/**
 * Produces the authentication headers of one delivery attempt.
 *
 * @example
 * ```ts
 * const headers = { ...(await signer.sign({ body, deliveryId, timestamp, requestId })), "webhook-id": deliveryId };
 * ```
 */
export interface AuthSigner {
  /** Only the auth headers: `authorization` (jwt), `webhook-signature` (standard-webhooks), none (none). */
  sign(input: SignInput): Promise<Record<string, string>>;
}

/**
 * Returns the key material behind a key's `ref` (an env var name, a KMS key id, …) so it never
 * enters the stored configuration. Called once per key per signer. HS*: a string (UTF-8 bytes),
 * bytes, or an `oct` JWK; RS/PS/ES/EdDSA: a PKCS#8 PEM or a private JWK.
 *
 * @example
 * ```ts
 * const keyResolver: KeyResolver = async (ref) => Buffer.from(process.env[ref] ?? "", "base64url");
 * ```
 */
export type KeyResolver = (
  ref: string,
  context: { kid: string; algorithm: JwtAlgorithm; orgId: string },
) => Promise<string | Uint8Array | Jwk> | string | Uint8Array | Jwk;

/** Options of {@link createAuthSigner}. */
export interface AuthSignerOptions {
  /** Resolves keys stored as `ref`. Required when a key has a `ref`. */
  keyResolver?: KeyResolver;
  /** The clock used to pick the signing key (rotation), in milliseconds. @default Date.now */
  now?: () => number;
}

type SignerConfig = Pick<WebhookConfig, "auth" | "url" | "orgId" | "sandbox">;

function createJwtSigner(config: SignerConfig, auth: JwtAuthConfig, options: AuthSignerOptions): AuthSigner {
  const issues = jwtSignerIssues(auth, { hasResolver: options.keyResolver !== undefined });
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Cannot sign with this JWT configuration" });
  const now = options.now ?? Date.now;
  const loaded = new Map<string, Promise<KeySigner>>();
  const load = (key: SigningKey): Promise<KeySigner> => {
    let signer = loaded.get(key.kid);
    if (signer === undefined) {
      const index = auth.keys.indexOf(key);
      signer = (async () => {
        if (key.ref === undefined) {
          const material = key.secret?.reveal() ?? (key.privateKey?.reveal() as string | Jwk);
          return loadKeySigner(auth.algorithm, material, `auth.keys[${index}]`);
        }
        const context = { kid: key.kid, algorithm: auth.algorithm, orgId: config.orgId };
        const material = await (options.keyResolver as KeyResolver)(key.ref, context);
        return loadKeySigner(auth.algorithm, material, `auth.keys[${index}].ref`);
      })();
      loaded.set(key.kid, signer);
      // A failed resolve (KMS down) is retried on the next attempt instead of being cached.
      signer.catch(() => loaded.get(key.kid) === signer && loaded.delete(key.kid));
    }
    return signer;
  };
  // One header object per key, so a signer can reuse its encoding (see `signHmacJwt`).
  const headers = new Map<string, TokenHeader>();
  const headerOf = (kid: string): TokenHeader => {
    let header = headers.get(kid);
    if (header === undefined) {
      header = { alg: auth.algorithm, typ: "JWT", kid };
      headers.set(kid, header);
    }
    return header;
  };
  const { issuer: iss, expiresInSeconds } = auth;
  const aud = auth.audience ?? config.url;
  const sub = `${config.orgId}/${config.sandbox.name}`;
  return {
    async sign({ body, timestamp, requestId }) {
      const key = selectSigningKey(auth.keys, now());
      if (key === undefined) {
        throw new ConfigValidationError(
          [{ path: "auth.keys", message: "every signing key is past its notAfter; add a new key" }],
          { what: "No active signing key" },
        );
      }
      const signer = await load(key);
      // Written out in the order of the token's payload (the differential tests pin the bytes).
      const claims = {
        iss,
        aud,
        sub,
        iat: timestamp,
        exp: timestamp + expiresInSeconds,
        jti: randomUUID(),
        requestId,
        body_sha256: hash("sha256", body, "base64url"),
      };
      const token = await signer(headerOf(key.kid), claims);
      return { authorization: `Bearer ${token}` };
    },
  };
}

/**
 * Creates the signer of one configuration (one per config id + version; reuse it). JWT: a fresh
 * token per attempt (`iss`, `aud` = audience or the URL, `sub` = `<orgId>/<sandbox name>`, `iat`
 * = the attempt's timestamp, `exp`, a unique `jti`, `requestId`, `body_sha256`), signed by the
 * newest active key, each key imported once. Standard Webhooks: `webhook-signature`. Throws
 * `ConfigValidationError` when the configuration cannot sign.
 *
 * @example
 * ```ts
 * const signer = createAuthSigner(config, { keyResolver: (ref) => process.env[ref]! });
 * const headers = await signer.sign({ body, deliveryId, timestamp: Math.floor(Date.now() / 1000), requestId });
 * // { authorization: "Bearer eyJ…" }
 * ```
 */
export function createAuthSigner(config: SignerConfig, options: AuthSignerOptions = {}): AuthSigner {
  const { auth } = config;
  if (auth.type === "none") return { sign: async () => ({}) };
  if (auth.type === "standard-webhooks") return createStandardWebhooksSigner(auth, options.now);
  return createJwtSigner(config, auth, options);
}
