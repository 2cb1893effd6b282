import { createHmac, type KeyObject } from "node:crypto";
import type { StandardWebhooksAuthConfig } from "../config/webhook-config.js";
import { ConfigValidationError, type Issue } from "../errors.js";
import type { AuthSigner } from "./create-auth-signer.js";
import { decodeStandardWebhooksSecret } from "./decode-standard-webhooks-secret.js";
import { nodeSecretKey } from "./node-hmac-jwt.js";

function signature(key: KeyObject, id: string, timestamp: number, body: string | Uint8Array): string {
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body).digest("base64")}`;
}

/**
 * Signs deliveries per the Standard Webhooks spec: `webhook-signature: v1,<base64>` with
 * HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`. During a rotation every secret whose
 * `notAfter` is ahead signs too, space-separated, so receivers holding either secret accept.
 * Secrets are decoded and imported once.
 *
 * @example
 * ```ts
 * const signer = createStandardWebhooksSigner({ type: "standard-webhooks", secret: new Secret("whsec_…"), previousSecrets: [] });
 * await signer.sign({ body, deliveryId: "msg_1", timestamp: 1614265330, requestId: "r1" });
 * // { "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" }
 * ```
 */
export function createStandardWebhooksSigner(
  auth: StandardWebhooksAuthConfig,
  now: () => number = Date.now,
): AuthSigner {
  const entries = [
    { secret: auth.secret, notAfter: undefined as Date | undefined, path: "auth.secret" },
    ...auth.previousSecrets.map((p, i) => ({ ...p, path: `auth.previousSecrets[${i}].secret` })),
  ];
  const issues: Issue[] = [];
  const secrets = entries.map(({ secret, notAfter, path }) => {
    try {
      return { key: nodeSecretKey(decodeStandardWebhooksSecret(secret.reveal())), notAfter };
    } catch (e) {
      issues.push({ path, message: (e as Error).message });
      return undefined;
    }
  });
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Unusable Standard Webhooks secret" });
  const usable = secrets as { key: KeyObject; notAfter: Date | undefined }[];
  return {
    async sign({ body, deliveryId, timestamp }) {
      const at = now();
      const signatures = usable
        .filter((s) => s.notAfter === undefined || s.notAfter.getTime() > at)
        .map((s) => signature(s.key, deliveryId, timestamp, body));
      return { "webhook-signature": signatures.join(" ") };
    },
  };
}
