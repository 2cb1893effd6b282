import type { FeedbackTokenClaims } from "../auth/feedback-token-claims.js";
import { createTokenVerifier } from "../auth/verify-feedback-token.js";
import { createStandardWebhookVerifier } from "../auth/verify-standard-webhook.js";
import type { Clock } from "../clock.js";
import type { AuthScheme } from "./error-to-response.js";
import type { HeaderReader } from "./header-reader.js";
import type { ReceiverAuth } from "./receiver-options.js";

/** Checks a delivery's credentials over the raw body; resolves the JWT claims in `jwt` mode. */
export interface CredentialCheck {
  (headers: HeaderReader, body: Uint8Array): Promise<FeedbackTokenClaims | undefined>;
  /** The challenge scheme of a 401. */
  scheme: AuthScheme;
  /** Resolves once the keys are imported; rejects with `ConfigValidationError` for an unusable key. */
  ready(): Promise<void>;
}

const STANDARD_WEBHOOK_HEADERS = [
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "svix-id",
  "svix-timestamp",
  "svix-signature",
] as const;

/** The verifier reads a `Headers` or a record; a bare reader gives it the few headers it reads. */
function standardWebhookHeaders(headers: HeaderReader): Record<string, string | undefined> {
  const record: Record<string, string | undefined> = {};
  for (const name of STANDARD_WEBHOOK_HEADERS) record[name] = headers.get(name) ?? undefined;
  return record;
}

/**
 * Builds the credential check for an `auth` option once: options are validated and keys imported
 * here, not per request. `clock` is the verifier's clock unless `auth.now` is set. The receiver imports only the verifying half of the auth module, which
 * runs on Web Crypto (Workers, Deno, Bun) as well as Node.
 *
 * @throws `ConfigValidationError` when the auth options are invalid.
 * @example
 * ```ts
 * const check = createCredentialCheck({ type: "jwt", secret, issuer }, systemClock);
 * const claims = await check(request.headers, bodyBytes);
 * ```
 */
export function createCredentialCheck(auth: ReceiverAuth, clock: Clock): CredentialCheck {
  const now = () => clock.now();
  if (auth.type === "jwt") {
    const { type: _type, ...options } = auth;
    const verify = createTokenVerifier({ now, ...options });
    return Object.assign((headers: HeaderReader, body: Uint8Array) => verify(headers.get("authorization"), body), {
      scheme: "Bearer" as const,
      ready: verify.ready,
    });
  }
  if (auth.type === "standard-webhooks") {
    const { type: _type, ...options } = auth;
    const verify = createStandardWebhookVerifier({ now, ...options });
    const check = async (headers: HeaderReader, body: Uint8Array) => {
      await verify({ headers: headers instanceof Headers ? headers : standardWebhookHeaders(headers), body });
      return undefined;
    };
    return Object.assign(check, { scheme: "WebhookSignature" as const, ready: async () => {} });
  }
  return Object.assign(async () => undefined, { scheme: "Bearer" as const, ready: async () => {} });
}
