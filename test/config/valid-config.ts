import type { WebhookConfigInput } from "../../src/config/webhook-config-schema.js";

/** A 32-byte HS256 secret used only in tests. */
export const TEST_HS_SECRET = "test-secret-0123456789abcdefghijklmnop";

/** One valid configuration; each test changes exactly one thing. */
export function validConfig(overrides: Partial<WebhookConfigInput> = {}): WebhookConfigInput {
  return {
    orgId: "myImsOrg",
    sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
    name: "Feedback to CRM",
    channels: ["email", "sms"],
    url: "https://hooks.example.com/feedback",
    auth: {
      type: "jwt",
      algorithm: "HS256",
      issuer: "https://platform.example.com",
      keys: [{ kid: "k1", secret: TEST_HS_SECRET }],
    },
    headers: { "x-tenant": "acme" },
    ...overrides,
  };
}
