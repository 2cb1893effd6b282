import { ConfigValidationError, type Issue, VerificationError } from "../errors.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import { decodeStandardWebhooksSecret } from "./decode-standard-webhooks-secret.js";

/** Options of {@link createStandardWebhookVerifier}. */
export interface StandardWebhookVerifyOptions {
  /** The `whsec_…` secret, or several during a rotation (any one may match). */
  secret: string | string[];
  /** Accepted distance between `webhook-timestamp` and now, both ways. @default 300 */
  toleranceSeconds?: number;
  /** The clock, in milliseconds. @default Date.now */
  now?: () => number;
}

/** A request to verify: its headers and raw body. */
export interface StandardWebhookInput {
  headers: Headers | Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
}

/** The verified delivery: `webhook-id` (idempotency key) and `webhook-timestamp`. */
export interface VerifiedStandardWebhook {
  id: string;
  timestamp: number;
}

function header(headers: StandardWebhookInput["headers"], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    // Several `webhook-signature` lines are one space-separated list.
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(" ") : value;
  }
  return undefined;
}

/** svix sends the same headers under `svix-*`; accept those too. */
const read = (headers: StandardWebhookInput["headers"], suffix: string) =>
  header(headers, `webhook-${suffix}`) ?? header(headers, `svix-${suffix}`);

function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function parseSecrets(secret: string | string[]): { keys: Uint8Array[]; issues: Issue[] } {
  const list = Array.isArray(secret) ? secret : [secret];
  const issues: Issue[] = list.length === 0 ? [{ path: "secret", message: "give at least one secret" }] : [];
  const keys = list.map((s, i) => {
    try {
      return decodeStandardWebhooksSecret(s);
    } catch (e) {
      issues.push({ path: Array.isArray(secret) ? `secret[${i}]` : "secret", message: (e as Error).message });
      return new Uint8Array();
    }
  });
  return { keys, issues };
}

/**
 * Creates a Standard Webhooks verifier (portable: Web Crypto). Checks that `webhook-id`,
 * `webhook-timestamp` and `webhook-signature` are present (or `svix-*`), that the timestamp is
 * within `toleranceSeconds` of now, and that one `v1,` signature matches HMAC-SHA256 of
 * `id.timestamp.body` under one of the secrets (constant-time). Secrets are imported once.
 *
 * @example
 * ```ts
 * const verify = createStandardWebhookVerifier({ secret: process.env.WEBHOOK_SECRET! });
 * const { id } = await verify({ headers: request.headers, body: await request.text() });
 * ```
 */
export function createStandardWebhookVerifier(
  options: StandardWebhookVerifyOptions,
): (input: StandardWebhookInput) => Promise<VerifiedStandardWebhook> {
  const { keys, issues } = parseSecrets(options.secret);
  const tolerance = options.toleranceSeconds ?? 300;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    issues.push({ path: "toleranceSeconds", message: "must be a finite number of seconds ≥ 0" });
  }
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid Standard Webhooks options" });
  const now = options.now ?? Date.now;
  const algorithm = { name: "HMAC", hash: "SHA-256" };
  const imported = Promise.all(
    keys.map((k) => crypto.subtle.importKey("raw", k as Uint8Array<ArrayBuffer>, algorithm, false, ["sign"])),
  );
  return async ({ headers, body }) => {
    const id = read(headers, "id");
    const timestampText = read(headers, "timestamp");
    const signatures = read(headers, "signature");
    if (!id || !timestampText || !signatures) {
      throw new VerificationError("missing", "Missing webhook-id, webhook-timestamp or webhook-signature header.");
    }
    const timestampField = timestampText.trim();
    if (!/^\d{1,15}$/.test(timestampField)) {
      throw new VerificationError("malformed", "webhook-timestamp is not a Unix timestamp in seconds.");
    }
    const timestamp = Number(timestampField);
    const nowSeconds = Math.floor(now() / 1000);
    if (timestamp < nowSeconds - tolerance) throw new VerificationError("expired", "webhook-timestamp is too old.");
    if (timestamp > nowSeconds + tolerance) {
      throw new VerificationError("not_yet_valid", "webhook-timestamp is too far in the future.");
    }
    const prefix = new TextEncoder().encode(`${id}.${timestampField}.`);
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    const signed = new Uint8Array(prefix.length + bytes.length);
    signed.set(prefix);
    signed.set(bytes, prefix.length);
    const expected = await Promise.all(
      (await imported).map(async (key) => new Uint8Array(await crypto.subtle.sign("HMAC", key, signed))),
    );
    const given = signatures
      .split(" ")
      .filter((s) => s.startsWith("v1,"))
      .map((s) => decodeBase64(s.slice(3)))
      .filter((s) => s !== undefined);
    if (given.some((g) => expected.some((e) => constantTimeEqual(e, g)))) return { id, timestamp };
    throw new VerificationError("signature", "No v1 signature in webhook-signature matches a configured secret.");
  };
}

/**
 * Verifies one Standard Webhooks request. Prefer {@link createStandardWebhookVerifier} for many
 * requests: it imports the secrets once.
 *
 * @example
 * ```ts
 * const { id, timestamp } = await verifyStandardWebhook({ headers, body: rawBody }, { secret: "whsec_…" });
 * ```
 */
export async function verifyStandardWebhook(
  input: StandardWebhookInput,
  options: StandardWebhookVerifyOptions,
): Promise<VerifiedStandardWebhook> {
  return createStandardWebhookVerifier(options)(input);
}
