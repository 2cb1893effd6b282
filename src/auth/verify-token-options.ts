import type { CryptoKey, KeyObject, RemoteJWKSetOptions } from "jose";
import type { JwtAlgorithm } from "../config/auth-config-schema.js";
import type { Jwk } from "../config/webhook-config.js";
import type { SecretEncoding } from "./decode-secret.js";

/**
 * A shared HS256/384/512 secret: raw bytes, a UTF-8 string, or an object that names its `kid`
 * and encoding — the output of `generateSigningKey("HS256")` fits as is.
 *
 * @example
 * ```ts
 * const secret: HmacSecretInput[] = [{ kid: "2025-06", secret: process.env.NEW!, secretEncoding: "base64url" }, process.env.OLD!];
 * ```
 */
export type HmacSecretInput =
  | string
  | Uint8Array
  | {
      /** Matched against the token's `kid` header; a secret without `kid` is tried for any token. */
      kid?: string;
      secret: string | Uint8Array;
      /** @default "utf8" */
      secretEncoding?: SecretEncoding;
      /** Accept only this algorithm with this secret. @default HS256, HS384 and HS512 */
      alg?: JwtAlgorithm;
    };

/** Public key material: SPKI PEM, public JWK, `KeyObject` or `CryptoKey`. */
export type PublicKeyMaterial = string | Jwk | KeyObject | CryptoKey;

/**
 * A public key for RS256, PS256, ES256 or EdDSA tokens, bare or with its `kid` (a JWK's own
 * `kid`/`alg` members are used too). The key type fixes the algorithms: RSA → RS256/PS256,
 * P-256 → ES256, Ed25519 → EdDSA.
 *
 * @example
 * ```ts
 * const publicKeys: PublicKeyInput[] = [publicJwk, { kid: "2024-12", key: fs.readFileSync("old.pub.pem", "utf8") }];
 * ```
 */
export type PublicKeyInput = PublicKeyMaterial | { kid?: string; key: PublicKeyMaterial; alg?: JwtAlgorithm };

/** Options of `remote JWKS` fetching, passed to jose's `createRemoteJWKSet`. */
export type JwksFetchOptions = Pick<
  RemoteJWKSetOptions,
  "timeoutDuration" | "cooldownDuration" | "cacheMaxAge" | "headers"
>;

/**
 * How to verify feedback tokens. Give at least one key source (`secret`, `publicKey`,
 * `publicKeys`, `jwks`, `jwksUrl`); several may be combined, e.g. during a rotation.
 *
 * @example
 * ```ts
 * const options: VerifyTokenOptions = {
 *   secret: process.env.FEEDBACK_SECRET!,
 *   issuer: "https://platform.example.com",
 *   audience: "https://hooks.example.com/feedback",
 * };
 * ```
 */
export interface VerifyTokenOptions {
  /** Shared secret(s) for HS256/384/512, at least 32 bytes each. Several for rotation. */
  secret?: HmacSecretInput | HmacSecretInput[];
  /** One public key for RS256/PS256/ES256/EdDSA. */
  publicKey?: PublicKeyInput;
  /** Several public keys, e.g. the old and the new one during a rotation. */
  publicKeys?: PublicKeyInput[];
  /** A local JSON Web Key Set (`{ keys: [...] }`), e.g. a copy of the sender's `/.well-known/jwks.json`. */
  jwks?: { keys: Jwk[] };
  /**
   * URL of the sender's JWKS. Fetched on first use, cached, and refetched when a token names an
   * unknown `kid` (at most once per `jwksFetch.cooldownDuration`). `https:`, or `http:` on loopback.
   */
  jwksUrl?: string | URL;
  /** Timeouts and caching of `jwksUrl`. @default jose's: 5 s timeout, 30 s cooldown, 10 min max age */
  jwksFetch?: JwksFetchOptions;
  /** Expected `iss`; the claim must be present and equal (one of) it. @default not checked */
  issuer?: string | string[];
  /** Expected `aud` (usually your webhook URL); the claim must contain it. @default not checked */
  audience?: string | string[];
  /** Expected `sub` (`<orgId>/<sandbox name>`). @default not checked */
  subject?: string;
  /** Narrows the algorithms the keys allow; never widens them. @default every algorithm the keys allow */
  algorithms?: JwtAlgorithm[];
  /** Seconds of clock skew accepted on `exp`, `nbf` and `iat`. @default 30 */
  clockTolerance?: number;
  /** Maximum age of a token in seconds, from its `iat`. @default 300 */
  maxTokenAge?: number;
  /**
   * Require the `body_sha256` claim. When `false`, a token without it is accepted, but a present
   * claim must still match the body.
   * @default true
   */
  requireBodyHash?: boolean;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
  /**
   * On Node, verify HS*, ES256 and EdDSA tokens and hash bodies with `node:crypto` (HS256 about 10×,
   * ES256 and EdDSA about 1.5–2× faster than Web Crypto end to end), proven by differential tests to
   * accept and reject exactly what jose does. RS256/PS256 tokens, and every token on other runtimes, use jose.
   * @default true when running on Node
   */
  nodeFastPath?: boolean;
}
