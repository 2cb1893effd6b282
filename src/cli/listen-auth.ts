import type { Jwk } from "../config/webhook-config.js";
import type { ReceiverAuth } from "../receiver/index.js";
import { UsageError } from "./output.js";
import { readTextFile } from "./read-text-file.js";

/** The verification flags of `listen`. */
export interface ListenAuthFlags {
  secret?: string;
  secretEncoding: "utf8" | "base64" | "base64url" | "hex";
  publicKey?: string;
  jwks?: string;
  issuer?: string;
  audience?: string;
  /** `false` after `--no-auth`. */
  auth?: boolean;
}

function readPublicKey(file: string): string | Jwk {
  const text = readTextFile(file, "--public-key").trim();
  return text.startsWith("{") ? (JSON.parse(text) as Jwk) : text;
}

/**
 * Turns the `listen` flags into the receiver's `auth` option. Exactly one way to verify must be
 * chosen; `--no-auth` is never implied.
 *
 * @example
 * ```ts
 * listenAuth({ secret: "…", secretEncoding: "base64url" }); // { type: "jwt", secret: {…} }
 * ```
 */
export function listenAuth(flags: ListenAuthFlags): ReceiverAuth {
  const chosen = [flags.secret, flags.publicKey, flags.jwks].filter((v) => v !== undefined).length;
  if (chosen + (flags.auth === false ? 1 : 0) !== 1) {
    throw new UsageError("choose exactly one way to verify: --secret, --public-key, --jwks or --no-auth.");
  }
  if (flags.auth === false) return { type: "none" };
  if (flags.secret?.startsWith("whsec_")) return { type: "standard-webhooks", secret: flags.secret };
  const claims = { issuer: flags.issuer, audience: flags.audience };
  if (flags.secret !== undefined) {
    return { type: "jwt", ...claims, secret: { secret: flags.secret, secretEncoding: flags.secretEncoding } };
  }
  if (flags.publicKey !== undefined) return { type: "jwt", ...claims, publicKey: readPublicKey(flags.publicKey) };
  return { type: "jwt", ...claims, jwksUrl: flags.jwks as string };
}

/** How the banner names the verification, never showing key material. */
export function describeListenAuth(auth: ReceiverAuth): string {
  if (auth.type === "none") return "nothing (--no-auth: any request is accepted; development only)";
  if (auth.type === "standard-webhooks") return "Standard Webhooks signatures (webhook-signature)";
  const source = auth.secret
    ? "a shared secret (HS256/384/512)"
    : auth.jwksUrl
      ? `the JWKS at ${auth.jwksUrl}`
      : "a public key";
  return `JWT bearer tokens signed with ${source}`;
}
