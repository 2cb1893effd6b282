/**
 * A sender service on SQLite: the webhook configuration and a durable delivery queue in one
 * file, a dispatcher that delivers with retries, and a graceful stop. Pair it with the CLI:
 *
 *   export FEEDBACK_SECRET=$(npx feedback-webhooks keygen)
 *   npx feedback-webhooks listen --secret "$FEEDBACK_SECRET" &
 *   npx tsx examples/sender-sqlite.ts
 *
 * Environment: FEEDBACK_SECRET (required), WEBHOOK_URL (default http://127.0.0.1:3000/webhooks),
 * FEEDBACK_DB (default ./feedback-webhooks.sqlite — the CLI's default file too, so
 * `npx feedback-webhooks deliveries list` shows what this service sent).
 *
 * A real service keeps its dispatcher running; this one stops once its batch is settled, so it
 * can run as a script. In your project: import from "feedback-webhooks", "feedback-webhooks/dispatcher"
 * and "feedback-webhooks/storage/sqlite".
 */
import { createRegistry, type WebhookConfigInput } from "../src/config/index.js";
import { createDispatcher, type PublishInput } from "../src/dispatcher/index.js";
import { sqliteStorage } from "../src/storage/sqlite/index.js";

const secret = process.env.FEEDBACK_SECRET;
if (!secret) {
  console.error("Set FEEDBACK_SECRET, e.g. export FEEDBACK_SECRET=$(npx feedback-webhooks keygen)");
  process.exit(1);
}
const url = process.env.WEBHOOK_URL ?? "http://127.0.0.1:3000/webhooks";
const local = ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
const ORG = "myImsOrg";
const SANDBOX = { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" };
const CAMPAIGN = "16f24a15-7e21-477c-848a-d5695ca7f137";

const storage = sqliteStorage({ filename: process.env.FEEDBACK_DB ?? "./feedback-webhooks.sqlite" });
const registry = createRegistry({ storage });

// One configuration per org + sandbox: create it on the first run, bring it up to date after.
const wanted = {
  name: "CRM feedback",
  channels: ["email", "sms"],
  url,
  auth: {
    type: "jwt",
    algorithm: "HS256",
    issuer: "feedback-webhooks",
    keys: [{ kid: "key-1", secret, secretEncoding: "base64url" }],
  },
  // Development opt-in for http:// on a loopback host; production URLs are https.
  allowHttp: local,
} satisfies Partial<WebhookConfigInput>;
const existing = await registry.get({ orgId: ORG, sandboxName: SANDBOX.name });
const config = existing
  ? await registry.update(existing.id, wanted, { expectedVersion: existing.version })
  : await registry.create({ orgId: ORG, sandbox: SANDBOX, ...wanted });
await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });

const dispatcher = createDispatcher({
  storage,
  // Loopback targets are refused by default (SSRF protection); allow them only for local runs.
  allowPrivateNetworks: local,
  hooks: {
    onDelivered: ({ delivery, attempt }) =>
      console.log(`delivered ${delivery.id} (attempt ${attempt.attempt}, ${attempt.statusCode})`),
    onRetryScheduled: ({ delivery, attempt, retryInMs }) =>
      console.log(`retry ${delivery.id} in ${Math.round(retryInMs / 1000)} s (${attempt.statusCode ?? attempt.error})`),
    onDead: ({ delivery, reason }) => console.log(`dead ${delivery.id}: ${reason}`),
  },
});

function event(status: "sent" | "delivered" | "bounce", channel: "email" | "sms"): PublishInput {
  return {
    imsOrg: ORG,
    sandbox: SANDBOX,
    channel,
    messageExecution: {
      messageExecutionID: `HUMA-${Date.now()}-${status}-${channel}`,
      campaignID: CAMPAIGN,
      campaignVersionID: "v1",
    },
    messageDeliveryFeedback:
      status === "bounce"
        ? {
            feedbackStatus: { value: status },
            messageFailure: { category: "async", type: "Hard", code: "10", reason: "Invalid Recipient" },
          }
        : { feedbackStatus: { value: status } },
    identityMap:
      channel === "email"
        ? { email: [{ id: "john.doe@luma.com", primary: true }] }
        : { phone: [{ id: "+14155550123", primary: true }] },
  } as PublishInput;
}

dispatcher.start();
// publishMany validates every event, routes it to the configuration and enqueues all atomically.
const results = await dispatcher.publishMany([
  event("sent", "email"),
  event("delivered", "email"),
  event("bounce", "email"),
  event("delivered", "sms"),
]);
const ids = results.flatMap((r) => (r.status === "enqueued" ? [r.deliveryId] : []));
console.log(`published ${ids.length} events to ${config.url}`);

// Graceful stop: on SIGTERM/SIGINT, or once the batch is settled.
let stopping = false;
const stop = () => {
  stopping = true;
};
process.once("SIGTERM", stop).once("SIGINT", stop);
let settled = false;
while (!stopping && !settled) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  const deliveries = await Promise.all(ids.map((id) => dispatcher.deliveries.get(id)));
  settled = deliveries.every((d) => d?.status === "delivered" || d?.status === "dead");
}
await dispatcher.stop({ timeoutMs: 10_000 });
const delivered = (await Promise.all(ids.map((id) => dispatcher.deliveries.get(id)))).filter(
  (d) => d?.status === "delivered",
);
await storage.close();
console.log(`${delivered.length} of ${ids.length} delivered; stopped`);
process.exitCode = delivered.length === ids.length ? 0 : 1;
