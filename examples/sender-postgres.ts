/**
 * A sender on PostgreSQL with two workers. Both dispatchers share one delivery queue; claims use
 * `FOR UPDATE SKIP LOCKED`, so every delivery goes out once although two workers poll the same
 * table. In production the workers are separate processes (or machines) running this same code;
 * here they are two dispatchers, each with its own connection pool, in one process.
 *
 *   export FEEDBACK_SECRET=$(npx feedback-webhooks keygen)
 *   npx feedback-webhooks listen --secret "$FEEDBACK_SECRET" &
 *   DATABASE_URL=postgres://user:pass@localhost/app npx tsx examples/sender-postgres.ts
 *
 * Environment: DATABASE_URL and FEEDBACK_SECRET (required), WEBHOOK_URL (default
 * http://127.0.0.1:3000/webhooks), FEEDBACK_DB_SCHEMA (default "feedback_webhooks").
 *
 * In your project: import from "feedback-webhooks", "feedback-webhooks/dispatcher" and
 * "feedback-webhooks/storage/postgres".
 */
import { createRegistry } from "../src/config/index.js";
import { createDispatcher, type Dispatcher, type PublishInput } from "../src/dispatcher/index.js";
import { migrate, postgresStorage } from "../src/storage/postgres/index.js";

const { DATABASE_URL: connectionString, FEEDBACK_SECRET: secret } = process.env;
if (!connectionString || !secret) {
  console.error("Set DATABASE_URL and FEEDBACK_SECRET (e.g. export FEEDBACK_SECRET=$(npx feedback-webhooks keygen))");
  process.exit(1);
}
const url = process.env.WEBHOOK_URL ?? "http://127.0.0.1:3000/webhooks";
const local = ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
const schema = process.env.FEEDBACK_DB_SCHEMA;
const ORG = "myImsOrg";
const SANDBOX = { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" };
const CAMPAIGN = "16f24a15-7e21-477c-848a-d5695ca7f137";
const EVENTS = 20;

// Migrate once before the workers start (in production: `npx feedback-webhooks migrate` in the deploy).
const { from, to } = await migrate({ connectionString, schema });
console.log(from === to ? `schema at version ${to}` : `schema migrated from version ${from} to ${to}`);

const setupStorage = postgresStorage({ connectionString, schema });
const registry = createRegistry({ storage: setupStorage });
const wanted = {
  name: "CRM feedback",
  channels: ["email" as const, "sms" as const],
  url,
  auth: {
    type: "jwt" as const,
    algorithm: "HS256" as const,
    issuer: "feedback-webhooks",
    keys: [{ kid: "key-1", secret, secretEncoding: "base64url" as const }],
  },
  // Development opt-in for http:// on a loopback host; production URLs are https.
  allowHttp: local,
};
const existing = await registry.get({ orgId: ORG, sandboxName: SANDBOX.name });
if (existing) await registry.update(existing.id, wanted, { expectedVersion: existing.version });
else await registry.create({ orgId: ORG, sandbox: SANDBOX, ...wanted });
await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });

// Two workers, each with its own storage (pool), as two processes would have.
const delivered = new Map<string, string>();
let deliveredCalls = 0;
const workers: Array<{ name: string; dispatcher: Dispatcher; close: () => Promise<void> }> = [1, 2].map((n) => {
  const storage = postgresStorage({ connectionString, schema, poolSize: 4 });
  const name = `worker-${n}`;
  const dispatcher = createDispatcher({
    storage,
    // Loopback targets are refused by default (SSRF protection); allow them only for local runs.
    allowPrivateNetworks: local,
    // Small claims, so that both workers take part in this short run.
    concurrency: 2,
    pollIntervalMs: 50,
    hooks: {
      onDelivered: ({ delivery }) => {
        deliveredCalls++;
        delivered.set(delivery.id, name);
      },
    },
  });
  return { name, dispatcher, close: () => storage.close() };
});
for (const { dispatcher } of workers) dispatcher.start();

const batch = Array.from(
  { length: EVENTS },
  (_, i): PublishInput => ({
    imsOrg: ORG,
    sandbox: SANDBOX,
    channel: i % 2 === 0 ? "email" : "sms",
    messageExecution: { messageExecutionID: `HUMA-${Date.now()}-${i}`, campaignID: CAMPAIGN, campaignVersionID: "v1" },
    messageDeliveryFeedback: { feedbackStatus: { value: i % 3 === 0 ? "sent" : "delivered" } },
    identityMap:
      i % 2 === 0
        ? { email: [{ id: `user${i}@example.com`, primary: true }] }
        : { phone: [{ id: `+1415555${String(1000 + i)}`, primary: true }] },
  }),
);
// The application (e.g. its API process) publishes through a dispatcher it never starts: the
// events are committed to the queue, and the workers deliver them.
const publisher = createDispatcher({ storage: setupStorage });
const results = await publisher.publishMany(batch);
const ids = results.flatMap((r) => (r.status === "enqueued" ? [r.deliveryId] : []));
console.log(`published ${ids.length} events to ${url}`);

const deadline = Date.now() + 30_000;
while (ids.some((id) => !delivered.has(id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
await Promise.all([publisher.stop(), ...workers.map((w) => w.dispatcher.stop({ timeoutMs: 10_000 }))]);
await Promise.all([...workers.map((w) => w.close()), setupStorage.close()]);

for (const { name } of workers)
  console.log(`${name} delivered ${[...delivered.values()].filter((w) => w === name).length}`);
const once = ids.every((id) => delivered.has(id)) && deliveredCalls === ids.length;
console.log(
  `${delivered.size} of ${ids.length} delivered, ${once ? "each exactly once" : `${deliveredCalls} deliveries in all`}`,
);
process.exitCode = once ? 0 : 1;
