import type { Secret } from "../secret.js";
import type { Channel } from "../schemas/channel.js";
import type { JwtAlgorithm } from "./auth-config-schema.js";

/** A private JWK (or any JWK) as plain JSON. */
export type Jwk = { kty: string; [key: string]: unknown };

/** A signing key after validation. Key material is wrapped in {@link Secret}. */
export interface SigningKey {
  kid: string;
  /** When the key was added; the newest key whose `notAfter` has not passed signs. */
  createdAt: Date;
  /** After this instant the key is no longer used or accepted. */
  notAfter?: Date;
  /** HS* shared secret bytes. */
  secret?: Secret<Uint8Array>;
  /** PKCS#8 PEM or private JWK. */
  privateKey?: Secret<string | Jwk>;
  /** Reference resolved by the registry's `keyResolver`. */
  ref?: string;
}

/** JWT auth after validation. */
export interface JwtAuthConfig {
  type: "jwt";
  algorithm: JwtAlgorithm;
  keys: SigningKey[];
  issuer: string;
  /** @default the webhook URL */
  audience?: string;
  /** @default 300 */
  expiresInSeconds: number;
}

/** Standard Webhooks auth after validation. */
export interface StandardWebhooksAuthConfig {
  type: "standard-webhooks";
  secret: Secret<string>;
  previousSecrets: Array<{ secret: Secret<string>; notAfter: Date }>;
}

/** The `auth` block of a stored configuration. */
export type AuthConfig = { type: "none" } | JwtAuthConfig | StandardWebhooksAuthConfig;

/**
 * A webhook configuration as the registry returns it: exactly one per `orgId` + `sandbox.name`.
 * Secrets are {@link Secret}s, so logging or serializing a config never leaks them.
 */
export interface WebhookConfig {
  id: string;
  /** Incremented on every update; pass it as `expectedVersion` to `registry.update`. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  orgId: string;
  sandbox: { id: string; name: string };
  name: string;
  channels: Channel[];
  url: string;
  auth: AuthConfig;
  headers: Record<string, string>;
  /** `false`: an admin switched the webhook off; publishes are skipped. */
  enabled: boolean;
  /** Development opt-in for `http:` loopback URLs. */
  allowHttp: boolean;
}
