/**
 * `npm run demo`: both sides of a feedback webhook in one process, with nothing to start.
 *
 * 1. A webhook configuration with JWT (HS256) auth is created in a temporary SQLite file.
 * 2. A local receiver verifies every request; one of its endpoints fails at first.
 * 3. The dispatcher publishes a mixed batch (sent, delivered, bounce, error; email and SMS),
 *    retries the failed delivery, and the demo prints what was delivered, retried and verified.
 *
 * In your project, import from "feedback-webhooks", "feedback-webhooks/dispatcher", … instead of
 * "../src/…": the demo runs from a fresh clone without a build.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { styleText } from "node:util";
import { toNodeHandler } from "../src/adapters/node.js";
import { generateSigningKey } from "../src/auth/index.js";
import { createRegistry } from "../src/config/index.js";
import { createDispatcher, type Delivery, type PublishInput } from "../src/dispatcher/index.js";
import { createReceiver } from "../src/receiver/index.js";
import type { Channel, FeedbackStatus } from "../src/schemas/index.js";
import { sqliteStorage } from "../src/storage/sqlite/index.js";

const started = performance.now();
const ISSUER = "https://platform.example.com";
const ORG = "demoOrg@AdobeOrg";
const CAMPAIGN = "16f24a15-7e21-477c-848a-d5695ca7f137";
const say = (text = "") => console.log(text);
const bold = (text: string) => styleText("bold", text);
const dim = (text: string) => styleText("dim", text);
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

// --- The receiving side: a local HTTP server; /webhooks/flaky answers 503 to its first request.
const verified: Array<{ status: string; channel: string; attempt: number | undefined }> = [];
let flakyFailuresLeft = 1;
const key = generateSigningKey("HS256");
const receiver = createReceiver({
  auth: { type: "jwt", secret: key, issuer: ISSUER },
}).on("*", (event, context) => {
  verified.push({
    status: event.messageDeliveryFeedback.feedbackStatus.value,
    channel: event.channel,
    attempt: context.attempt,
  });
});
const handle = toNodeHandler(receiver);
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.url === "/webhooks/flaky" && flakyFailuresLeft > 0) {
    flakyFailuresLeft--;
    res.writeHead(503).end("deploying, try again");
    return;
  }
  void handle(req, res);
});
server.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

// --- The sending side: registry and dispatcher over one SQLite file.
const dir = mkdtempSync(join(tmpdir(), "feedback-webhooks-demo-"));
const storage = sqliteStorage({ filename: join(dir, "demo.sqlite") });
const registry = createRegistry({ storage });
const jwt = { type: "jwt" as const, algorithm: "HS256" as const, issuer: ISSUER, keys: [key.configKey] };
// allowHttp: a development opt-in, only for loopback hosts; production URLs are https.
const prod = await registry.create({
  orgId: ORG,
  sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
  name: "CRM feedback",
  channels: ["email", "sms"],
  url: `${base}/webhooks/crm`,
  auth: jwt,
  allowHttp: true,
});
const staging = await registry.create({
  orgId: ORG,
  sandbox: { id: "5d1f1e52-70c3-4c39-9e4f-7b0c1f6a2b11", name: "staging" },
  name: "Staging feedback (fails at first)",
  channels: ["email"],
  url: `${base}/webhooks/flaky`,
  auth: jwt,
  allowHttp: true,
});
for (const sandboxName of ["prod", "staging"])
  await registry.enableCampaign({ orgId: ORG, sandboxName, campaignId: CAMPAIGN });

say(bold("feedback-webhooks demo"));
say(`  storage   ${join(dir, "demo.sqlite")} ${dim("(SQLite, removed at the end)")}`);
say(`  receiver  ${base}, verifying JWT HS256 (kid ${key.kid}); /webhooks/flaky answers 503 once`);
say(`  configs   prod → /webhooks/crm (email, sms) · staging → /webhooks/flaky (email only)`);
say();

const dispatcher = createDispatcher({
  storage,
  // Another development opt-in: 127.0.0.1 is a loopback address, refused by default (SSRF).
  allowPrivateNetworks: true,
  // A short schedule so the retry shows within seconds; the default retries for about a day.
  retry: { schedule: [1000, 2000, 4000], jitter: 0 },
  pollIntervalMs: 100,
  hooks: {
    onRetryScheduled: ({ attempt, retryInMs }) => {
      say(
        `  ${dim(seconds())}  ${styleText("yellow", `↻ /webhooks/flaky answered ${attempt.statusCode}; retry in ${retryInMs / 1000} s`)}`,
      );
    },
  },
});

// --- A mixed batch, as two API calls (two requestIds) of one transactional campaign.
let messageNumber = 26362805;
function event(status: FeedbackStatus, channel: Channel, sandbox: "prod" | "staging", requestId: string): PublishInput {
  const failure = { category: "sync" as const, type: "Admin", code: "25", reason: "Admin Failure" };
  const bounce = { category: "async" as const, type: "Hard", code: "10", reason: "Invalid Recipient" };
  return {
    requestId,
    imsOrg: ORG,
    sandbox: sandbox === "prod" ? prod.sandbox : staging.sandbox,
    channel,
    messageExecution: {
      messageExecutionID: `HUMA-${messageNumber++}`,
      campaignID: CAMPAIGN,
      campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
    },
    messageDeliveryFeedback: {
      feedbackStatus: { value: status },
      ...(status === "bounce" ? { messageFailure: bounce } : status === "error" ? { messageFailure: failure } : {}),
    },
    identityMap:
      channel === "email"
        ? { email: [{ id: "john.doe@luma.com", primary: true }] }
        : { phone: [{ id: "+14155550123", primary: true }] },
  } as PublishInput;
}
const [call1, call2] = ["8NoByJneShCdCGRnrGS1t1m3CdA73dhR", "Q2mWx8CkR4vN7tYb1LpZ9sHd3FgJ6aEo"] as const;
const batch = [
  ...(["sent", "delivered", "bounce", "error"] as const).flatMap((s) => [
    event(s, "email", "prod", call1),
    event(s, "sms", "prod", call2),
  ]),
  event("delivered", "email", "staging", call2),
  event("delivered", "sms", "staging", call2),
];
const results = await dispatcher.publishMany(batch);
const enqueued = results.flatMap((r) => (r.status === "enqueued" ? [r.deliveryId] : []));
const skipped = results.flatMap((r) => (r.status === "skipped" ? [r.reason] : []));
say(`${bold("published")} ${batch.length} events in one batch: ${enqueued.length} enqueued, ${skipped.length} skipped`);
say(dim(`  skipped: ${skipped.join(", ")} (an SMS event for staging, which takes email only)`));
dispatcher.start();

// --- Wait until every delivery is settled (bounded: the demo must end in seconds).
const deadline = Date.now() + 20_000;
const load = () => Promise.all(enqueued.map(async (id) => (await dispatcher.deliveries.get(id)) as Delivery));
let deliveries = await load();
while (deliveries.some((d) => d.status !== "delivered" && d.status !== "dead") && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  deliveries = await load();
}
await dispatcher.stop({ timeoutMs: 5000 });
say(`  ${dim(seconds())}  every delivery settled`);

// --- A forged request: the receiver must refuse it.
const forged = await fetch(`${base}/webhooks/crm`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: "Bearer forged.token.value" },
  body: deliveries[0]?.body,
});
const problem = (await forged.json()) as { title?: string; reason?: string };

say();
say(bold("deliveries"));
say(
  dim(
    `  ${"sandbox".padEnd(8)} ${"event".padEnd(10)} ${"channel".padEnd(8)} ${"endpoint".padEnd(16)} ${"delivery".padEnd(10)} answers`,
  ),
);
const rows = deliveries.map((d) => {
  const body = JSON.parse(d.body) as {
    channel: string;
    messageDeliveryFeedback: { feedbackStatus: { value: string } };
  };
  const answers = d.attemptLog.map((a) =>
    styleText(a.statusCode === 200 ? "green" : "red", String(a.statusCode ?? a.error)),
  );
  const endpoint = d.sandboxName === "prod" ? "/webhooks/crm" : "/webhooks/flaky";
  const status = body.messageDeliveryFeedback.feedbackStatus.value;
  return `  ${d.sandboxName.padEnd(8)} ${status.padEnd(10)} ${body.channel.padEnd(8)} ${endpoint.padEnd(16)} ${d.status.padEnd(10)} ${answers.join(" → ")}`;
});
for (const row of rows) say(row);
say();
const delivered = deliveries.filter((d) => d.status === "delivered");
const retried = deliveries.filter((d) => d.attempts > 1);
say(`${bold("delivered")}  ${delivered.length} of ${enqueued.length}`);
say(
  `${bold("retried")}    ${retried.length}: ${retried.map((d) => `${d.sandboxName} answered ${d.attemptLog.map((a) => a.statusCode).join(", then ")}`).join("; ")} (same webhook-id, fresh token)`,
);
say(
  `${bold("verified")}   ${verified.length} of ${enqueued.length} by the receiver: JWT signature (HS256), iss, exp and body_sha256 on each`,
);
say(`${bold("refused")}    a forged request: ${forged.status} ${problem.title} (${problem.reason})`);
say();
say(dim("Development opt-ins used here, never in production: allowHttp: true on the configurations"));
say(dim("(http:// on 127.0.0.1) and allowPrivateNetworks: true on the dispatcher (loopback target)."));
say(
  dim(
    `Done in ${seconds()}. Next: npx feedback-webhooks listen --secret <secret>, then npx feedback-webhooks send mixed --url …`,
  ),
);

server.close();
await storage.close();
rmSync(dir, { recursive: true, force: true });
const ok =
  delivered.length === enqueued.length &&
  retried.length === 1 &&
  verified.length === enqueued.length &&
  forged.status === 401;
if (!ok)
  console.error(styleText("red", "demo failed: not every delivery was delivered, retried and verified as expected"));
process.exitCode = ok ? 0 : 1;
