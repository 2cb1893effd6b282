import { generateSigningKey } from "../../src/auth/index.js";
import type { AuthInput } from "../../src/config/auth-config-schema.js";
import type { WebhookConfigInput } from "../../src/config/index.js";
import type { ReceiverAuth } from "../../src/receiver/index.js";
import type { FeedbackEvent } from "../../src/schemas/index.js";
import { createTestEvent } from "../../src/testing/index.js";

export const ISSUER = "https://platform.bench.test";
export const AUDIENCE = "https://hooks.bench.test/feedback";
export const SANDBOX = { id: "00000000-0000-4000-8000-000000000001", name: "prod" };
export const CAMPAIGN_ID = "00000000-0000-4000-8000-00000000c001";

/** The org of endpoint `i`: one configuration (endpoint) per org + sandbox. */
export const orgOf = (i: number) => `BENCH${String(i).padStart(19, "0")}@AdobeOrg`;

const STATUSES = ["delivered", "sent", "bounce", "delivered", "error", "delay", "delivered", "exclude"] as const;

/**
 * `count` realistic, distinct feedback events (a mix of statuses, mostly `delivered` as in
 * production; ~600–750 bytes of JSON each), spread over `endpoints` orgs round-robin.
 */
export function sampleEvents(count: number, endpoints = 1, offset = 0): FeedbackEvent[] {
  const out: FeedbackEvent[] = [];
  for (let i = offset; i < offset + count; i++) {
    const status = STATUSES[i % STATUSES.length]!;
    out.push(
      createTestEvent(status, {
        imsOrg: orgOf(i % endpoints),
        sandbox: SANDBOX,
        messageExecution: { messageExecutionID: `BENCH-${i}`, campaignID: CAMPAIGN_ID },
        identityMap: { email: [{ id: `user${i}@example.com`, primary: true }] },
      }) as FeedbackEvent,
    );
  }
  return out;
}

/** An HS256 credential: the sender's `auth` block and the receiver's matching option. */
export function hs256Credential(): { senderAuth: AuthInput; receiverAuth: ReceiverAuth; secret: string; kid: string } {
  const key = generateSigningKey("HS256");
  return {
    senderAuth: { type: "jwt", algorithm: "HS256", issuer: ISSUER, audience: AUDIENCE, keys: [key.configKey] },
    receiverAuth: { type: "jwt", secret: key.configKey, issuer: ISSUER, audience: AUDIENCE },
    secret: key.secret,
    kid: key.kid,
  };
}

/** The configuration of endpoint `i`, delivering to `${origin}/e/${i}` over loopback http. */
export function endpointConfig(i: number, origin: string, auth: AuthInput = { type: "none" }): WebhookConfigInput {
  return {
    orgId: orgOf(i),
    sandbox: SANDBOX,
    name: `bench endpoint ${i}`,
    channels: ["email", "sms"],
    url: `${origin}/e/${i}`,
    allowHttp: true,
    auth,
  };
}
