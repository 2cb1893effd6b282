import { createHmac } from "node:crypto";
import type { JwtAlgorithm } from "../../src/config/auth-config-schema.js";
import { validateConfigInput } from "../../src/config/validate-config-input.js";
import type { WebhookConfig } from "../../src/config/webhook-config.js";
import { createAuthSigner, type KeyResolver } from "../../src/auth/create-auth-signer.js";
import { generateSigningKey, type GeneratedKeyPair } from "../../src/auth/generate-signing-key.js";
import type { VerificationError } from "../../src/errors.js";

/** The fixed "now" of these tests, Unix seconds. */
export const NOW = 1_750_000_000;
export const nowMs = () => NOW * 1000;
export const URL_ = "https://hooks.example.com/feedback";
export const ISSUER = "https://platform.example.com";
export const BODY = '{"requestId":"8NoByJneShCdCGRnrGS1t1m3CdA73dhR","eventType":"message.feedback"}';
/** 32 random-looking bytes as UTF-8 text: the shared secret of these tests. */
export const HS_SECRET = "tK3v9Qm2Xr7Lp0Wz5Ny8Bc4Hd6Fj1Sa_";

/** One key pair per asymmetric algorithm, generated once for the whole run. */
export const PAIRS: Record<"RS256" | "PS256" | "ES256" | "EdDSA", GeneratedKeyPair> = {
  RS256: generateSigningKey("RS256"),
  PS256: generateSigningKey("PS256"),
  ES256: generateSigningKey("ES256"),
  EdDSA: generateSigningKey("EdDSA"),
};

/** A validated configuration: HS256 with {@link HS_SECRET} unless `auth` says otherwise. */
export function config(auth?: Record<string, unknown>): WebhookConfig {
  const fields = validateConfigInput(
    {
      orgId: "myImsOrg",
      sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
      name: "Feedback to CRM",
      channels: ["email"],
      url: URL_,
      auth: auth ?? {
        type: "jwt",
        algorithm: "HS256",
        issuer: ISSUER,
        keys: [{ kid: "k1", secret: HS_SECRET, createdAt: new Date(nowMs() - 86_400_000) }],
      },
    },
    {},
    new Date(nowMs()),
  );
  return { ...fields, id: "cfg_1", version: 1, createdAt: new Date(nowMs()), updatedAt: new Date(nowMs()) };
}

/** A JWT auth block for `algorithm` with one key from {@link PAIRS} (or the HS secret). */
export function jwtAuth(algorithm: JwtAlgorithm, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const key = algorithm.startsWith("HS")
    ? { kid: "k1", secret: HS_SECRET }
    : PAIRS[algorithm as keyof typeof PAIRS].configKey;
  return { type: "jwt", algorithm, issuer: ISSUER, keys: [key], ...extra };
}

/** Signs {@link BODY} (or `body`) at {@link NOW} (or `timestamp`) and returns the bare JWT. */
export async function signToken(
  options: { cfg?: WebhookConfig; body?: string; timestamp?: number; keyResolver?: KeyResolver } = {},
): Promise<string> {
  const signer = createAuthSigner(options.cfg ?? config(), { now: nowMs, keyResolver: options.keyResolver });
  const headers = await signer.sign({
    body: options.body ?? BODY,
    deliveryId: "msg_1",
    timestamp: options.timestamp ?? NOW,
    requestId: "8NoByJneShCdCGRnrGS1t1m3CdA73dhR",
  });
  return (headers.authorization ?? "").replace(/^Bearer /, "");
}

export const b64u = (text: string | Uint8Array) => Buffer.from(text).toString("base64url");
export const decodeSegment = (segment: string) => JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));

/** Builds an HS* compact JWS from raw segments, for tokens our signer would never make. */
export function hmacToken(header: unknown, payload: unknown, secret: string | Uint8Array, alg = "HS256"): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  const hash = `sha${alg.slice(2)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest("base64url")}`;
}

/** Awaits a promise that must reject with a VerificationError and returns it. */
export async function rejection(promise: Promise<unknown>): Promise<VerificationError> {
  try {
    await promise;
  } catch (e) {
    return e as VerificationError;
  }
  throw new Error("expected a rejection");
}
