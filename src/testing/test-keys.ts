import { generateSigningKey } from "../auth/generate-signing-key.js";
import type { AuthInput } from "../config/auth-config-schema.js";
import type { ReceiverAuth } from "../receiver/index.js";

/**
 * The `iss` of test tokens.
 *
 * @example
 * ```ts
 * createReceiver({ auth: { type: "jwt", secret, issuer: TEST_ISSUER } });
 * ```
 */
export const TEST_ISSUER = "https://platform.example.test";
/**
 * The webhook URL test requests go to, and the `aud` of test tokens.
 *
 * @example
 * ```ts
 * server.use(...captureFeedbackRequests(TEST_WEBHOOK_URL, { auth: testKeys.hs256.receiverAuth }).handlers);
 * ```
 */
export const TEST_WEBHOOK_URL = "https://hooks.example.test/webhooks/feedback";

/**
 * Both halves of one test credential: what the sender signs with and what the receiver accepts.
 * Build your own to test with your production key types.
 *
 * @example
 * ```ts
 * const key = generateSigningKey("EdDSA");
 * const eddsa: TestKey = {
 *   senderAuth: { type: "jwt", algorithm: "EdDSA", issuer: TEST_ISSUER, audience: TEST_WEBHOOK_URL, keys: [key.configKey] },
 *   receiverAuth: { type: "jwt", publicKey: key.publicJwk, issuer: TEST_ISSUER, audience: TEST_WEBHOOK_URL },
 * };
 * ```
 */
export interface TestKey {
  /** The `auth` block of a webhook configuration (sender side), e.g. for `registry.create({ …, auth })`. */
  readonly senderAuth: AuthInput;
  /** The `auth` option of `createReceiver` that accepts what `senderAuth` signs. */
  readonly receiverAuth: ReceiverAuth;
}

function hs256(): TestKey {
  const key = generateSigningKey("HS256");
  return {
    senderAuth: { type: "jwt", algorithm: "HS256", issuer: TEST_ISSUER, audience: TEST_WEBHOOK_URL, keys: [key.configKey] },
    receiverAuth: { type: "jwt", secret: key.configKey, issuer: TEST_ISSUER, audience: TEST_WEBHOOK_URL },
  };
}

function es256(): TestKey {
  const key = generateSigningKey("ES256");
  return {
    senderAuth: { type: "jwt", algorithm: "ES256", issuer: TEST_ISSUER, audience: TEST_WEBHOOK_URL, keys: [key.configKey] },
    receiverAuth: { type: "jwt", publicKey: key.publicJwk, issuer: TEST_ISSUER, audience: TEST_WEBHOOK_URL },
  };
}

function standardWebhooks(): TestKey {
  const { secret } = generateSigningKey("standard-webhooks");
  return {
    senderAuth: { type: "standard-webhooks", secret },
    receiverAuth: { type: "standard-webhooks", secret },
  };
}

/**
 * Ready credentials for tests, generated once per process (never use them in production):
 * `hs256` (shared secret), `es256` (key pair, the receiver holds the public JWK),
 * `standardWebhooks` (`whsec_` secret) and `none`.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth });
 * const request = await signTestRequest(createTestEvent("sent"), { key: testKeys.hs256 });
 * expect((await receiver.handle(request)).status).toBe(200);
 * ```
 */
export const testKeys: Readonly<Record<"hs256" | "es256" | "standardWebhooks" | "none", TestKey>> = Object.freeze({
  hs256: hs256(),
  es256: es256(),
  standardWebhooks: standardWebhooks(),
  none: { senderAuth: { type: "none" }, receiverAuth: { type: "none" } },
});
