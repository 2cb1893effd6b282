import { ConfigValidationError } from "../errors.js";
import { Secret } from "../secret.js";
import type { AuthConfig, Jwk, SigningKey, WebhookConfig } from "./webhook-config.js";

/** The JSON document a storage keeps for one configuration. Storages treat it as opaque. */
export type ConfigDocument = Record<string, unknown>;

/**
 * Turns secret material into the string kept at rest and back. The default keeps it as is;
 * the registry's `encryptionKey` option swaps in AES-256-GCM.
 */
export interface SecretSealer {
  seal(plain: string): string;
  open(stored: string): string;
}

/**
 * Keeps secret material unchanged at rest. Refuses to open encrypted values, so a registry
 * that forgot its `encryptionKey` fails loudly instead of signing with ciphertext as the key.
 */
export const plainSealer: SecretSealer = {
  seal: (s) => s,
  open: (s) => {
    if (s.startsWith("enc:v1:")) {
      throw new ConfigValidationError(
        [{ path: "auth", message: "key material is encrypted at rest; pass the registry's encryptionKey to read it" }],
        { what: "Cannot read stored webhook configuration" },
      );
    }
    return s;
  },
};

const b64u = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

function encodeKey(key: SigningKey, sealer: SecretSealer): Record<string, unknown> {
  const doc: Record<string, unknown> = { kid: key.kid, createdAt: key.createdAt.toISOString() };
  if (key.notAfter) doc.notAfter = key.notAfter.toISOString();
  if (key.ref !== undefined) doc.ref = key.ref;
  if (key.secret) doc.secret = sealer.seal(b64u(key.secret.reveal()));
  if (key.privateKey) doc.privateKey = sealer.seal(JSON.stringify(key.privateKey.reveal()));
  return doc;
}

function decodeKey(doc: Record<string, unknown>, sealer: SecretSealer): SigningKey {
  const key: SigningKey = { kid: String(doc.kid), createdAt: new Date(String(doc.createdAt)) };
  if (typeof doc.notAfter === "string") key.notAfter = new Date(doc.notAfter);
  if (typeof doc.ref === "string") key.ref = doc.ref;
  if (typeof doc.secret === "string") key.secret = new Secret(new Uint8Array(Buffer.from(sealer.open(doc.secret), "base64url")));
  if (typeof doc.privateKey === "string") key.privateKey = new Secret(JSON.parse(sealer.open(doc.privateKey)) as string | Jwk);
  return key;
}

function encodeAuth(auth: AuthConfig, sealer: SecretSealer): Record<string, unknown> {
  if (auth.type === "none") return { type: "none" };
  if (auth.type === "standard-webhooks") {
    return {
      type: auth.type,
      secret: sealer.seal(auth.secret.reveal()),
      previousSecrets: auth.previousSecrets.map((p) => ({ secret: sealer.seal(p.secret.reveal()), notAfter: p.notAfter.toISOString() })),
    };
  }
  return { ...auth, keys: auth.keys.map((k) => encodeKey(k, sealer)) };
}

function decodeAuth(doc: Record<string, unknown>, sealer: SecretSealer): AuthConfig {
  if (doc.type === "standard-webhooks") {
    return {
      type: "standard-webhooks",
      secret: new Secret(sealer.open(String(doc.secret))),
      previousSecrets: ((doc.previousSecrets as Array<Record<string, string>>) ?? []).map((p) => ({
        secret: new Secret(sealer.open(String(p.secret))),
        notAfter: new Date(String(p.notAfter)),
      })),
    };
  }
  if (doc.type === "jwt") {
    const jwt = doc as Record<string, unknown> & Omit<Extract<AuthConfig, { type: "jwt" }>, "keys">;
    return { ...jwt, keys: (doc.keys as Array<Record<string, unknown>>).map((k) => decodeKey(k, sealer)) };
  }
  return { type: "none" };
}

/** Serializes a configuration to the JSON document kept by a storage. */
export function encodeConfig(config: WebhookConfig, sealer: SecretSealer = plainSealer): ConfigDocument {
  return {
    ...config,
    createdAt: config.createdAt.toISOString(),
    updatedAt: config.updatedAt.toISOString(),
    auth: encodeAuth(config.auth, sealer),
  };
}

/** Restores a configuration from its stored JSON document. */
export function decodeConfig(doc: ConfigDocument, sealer: SecretSealer = plainSealer): WebhookConfig {
  const d = doc as unknown as WebhookConfig & { createdAt: string; updatedAt: string; auth: Record<string, unknown> };
  return {
    ...d,
    createdAt: new Date(d.createdAt),
    updatedAt: new Date(d.updatedAt),
    auth: decodeAuth(d.auth, sealer),
  };
}
