/**
 * Key rotation without touching the receiver: the sender publishes its public keys as a JWKS
 * (`jwksHandler`), the receiver verifies with `jwksUrl`, and fetches the JWKS again when a token
 * names a key it has not seen. Three deliveries show the three steps:
 *
 *   1. the configuration signs with key A;
 *   2. key B is added: the newest key signs at once, A stays published until its `notAfter`;
 *   3. key A is retired: the JWKS lists B only.
 *
 *   npx tsx examples/key-rotation.ts
 *
 * With a shared secret (HS256) there is no JWKS: give the receiver both secrets
 * (`secret: [old, new]`) before the sender switches, and drop the old one afterwards.
 *
 * In your project: import from "feedback-webhooks", "feedback-webhooks/auth", … instead of "../src/…".
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeProtectedHeader } from "jose";
import { toNodeHandler } from "../src/adapters/node.js";
import { generateSigningKey, jwksHandler } from "../src/auth/index.js";
import { createRegistry } from "../src/config/index.js";
import { createDispatcher, type PublishInput } from "../src/dispatcher/index.js";
import { createReceiver } from "../src/receiver/index.js";
import { memoryStorage } from "../src/storage/memory/index.js";

const ISSUER = "https://platform.example.com";
const ORG = "myImsOrg";
const SANDBOX = { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" };
const CAMPAIGN = "16f24a15-7e21-477c-848a-d5695ca7f137";

const storage = memoryStorage();
const registry = createRegistry({ storage });
let configId = "";

// One local server plays both parts: the sender's JWKS endpoint and the receiver's webhook.
const verifiedKids: string[] = [];
let base = "";
const server = createServer();
server.listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const jwks = jwksHandler(async () => {
  const config = await registry.getById(configId);
  if (config === undefined) throw new Error("configuration not found");
  return config;
});
const receiver = createReceiver({
  // jose refetches on an unknown kid at most once per cooldown (30 s by default); shortened so
  // the three steps run in a second.
  auth: { type: "jwt", jwksUrl: `${base}/.well-known/jwks.json`, issuer: ISSUER, jwksFetch: { cooldownDuration: 0 } },
}).on("*", () => {});
const receive = toNodeHandler(receiver);
server.on("request", async (req, res) => {
  if (req.url === "/.well-known/jwks.json") {
    const response = await jwks(new Request(`${base}${req.url}`));
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
    return;
  }
  const token = req.headers.authorization?.replace(/^Bearer /, "") ?? "";
  res.once("finish", () => {
    if (res.statusCode === 200) verifiedKids.push(String(decodeProtectedHeader(token).kid));
  });
  await receive(req, res);
});

// --- The sending side.
const keyA = generateSigningKey("ES256");
const keyB = generateSigningKey("ES256");
const config = await registry.create({
  orgId: ORG,
  sandbox: SANDBOX,
  name: "CRM feedback",
  channels: ["email"],
  url: `${base}/webhooks/feedback`,
  auth: {
    type: "jwt",
    algorithm: "ES256",
    issuer: ISSUER,
    keys: [{ ...keyA.configKey, createdAt: new Date(Date.now() - 1000) }],
  },
  // Development opt-in for http:// on a loopback host.
  allowHttp: true,
});
configId = config.id;
await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
// Development opt-in: deliver to 127.0.0.1 (refused by default to prevent SSRF).
const dispatcher = createDispatcher({ storage, allowPrivateNetworks: true, pollIntervalMs: 50 });
dispatcher.start();

let n = 0;
async function deliverOne(): Promise<string> {
  const event = {
    imsOrg: ORG,
    sandbox: SANDBOX,
    channel: "email",
    messageExecution: { messageExecutionID: `HUMA-${++n}`, campaignID: CAMPAIGN, campaignVersionID: "v1" },
    messageDeliveryFeedback: { feedbackStatus: { value: "delivered" } },
    identityMap: { email: [{ id: "john.doe@luma.com", primary: true }] },
  } as PublishInput;
  const result = await dispatcher.publish(event);
  if (result.status !== "enqueued") throw new Error(`not enqueued: ${result.reason}`);
  for (let i = 0; i < 100; i++) {
    const delivery = await dispatcher.deliveries.get(result.deliveryId);
    if (delivery?.status === "delivered") return verifiedKids.at(-1) ?? "?";
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the delivery was not verified within 5 s");
}
const name = (kid: string) => (kid === keyA.kid ? "A" : kid === keyB.kid ? "B" : kid);
const published = async () =>
  (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };

console.log(`1. signing with key A          → verified with key ${name(await deliverOne())}`);

// 2. Add B. The newest key signs; A stays in the JWKS until its notAfter, for receivers' caches.
const current = (await registry.getById(configId)) ?? config;
const keysNow = current.auth.type === "jwt" ? current.auth.keys : [];
const withB = await registry.update(
  configId,
  {
    auth: {
      type: "jwt",
      algorithm: "ES256",
      issuer: ISSUER,
      keys: [
        { ...keyA.configKey, createdAt: keysNow[0]?.createdAt, notAfter: new Date(Date.now() + 10 * 60_000) },
        keyB.configKey,
      ],
    },
  },
  { expectedVersion: current.version },
);
const both = (await published()).keys.map((k) => name(k.kid)).join(" + ");
console.log(`2. key B added (JWKS: ${both})  → verified with key ${name(await deliverOne())}, no receiver change`);

// 3. Retire A: only B is left and published.
await registry.update(
  configId,
  { auth: { type: "jwt", algorithm: "ES256", issuer: ISSUER, keys: [keyB.configKey] } },
  { expectedVersion: withB.version },
);
const onlyB = (await published()).keys.map((k) => name(k.kid)).join(" + ");
console.log(`3. key A retired (JWKS: ${onlyB})  → verified with key ${name(await deliverOne())}`);

await dispatcher.stop();
server.close();
await storage.close();
process.exitCode = verifiedKids.map(name).join(",") === "A,B,B" ? 0 : 1;
