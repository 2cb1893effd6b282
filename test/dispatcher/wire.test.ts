import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyFeedbackToken } from "../../src/auth/index.js";
import { createRegistry } from "../../src/config/create-registry.js";
import { createDispatcher, type Dispatcher } from "../../src/dispatcher/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { createManualClock, type ManualClock } from "../../src/testing/manual-clock.js";
import { undiciTransport } from "../../src/transport/index.js";
import { VERSION } from "../../src/version.js";
import { reply, sequence, startTestServer, type TestServer } from "../transport/test-server.js";
import { CAMPAIGN, captureLogger, eventInput, ORG, SANDBOX } from "./helpers.js";

const SECRET = "0123456789abcdef0123456789abcdef-wire-test";
const ISSUER = "https://platform.example.com";

describe("on the wire (real 127.0.0.1 server, undici transport)", () => {
  let server: TestServer;
  let clock: ManualClock;
  let dispatcher: Dispatcher;
  let url: string;

  async function start(
    auth: Parameters<ReturnType<typeof createRegistry>["create"]>[0]["auth"],
    startMs = Date.UTC(2025, 0, 1),
  ) {
    clock = createManualClock(startMs);
    const storage = memoryStorage({ clock });
    const registry = createRegistry({ storage, clock, allowPrivateNetworks: true });
    await registry.create({
      orgId: ORG,
      sandbox: SANDBOX,
      name: "Wire",
      channels: ["email"],
      url,
      allowHttp: true,
      auth,
      headers: { "X-Tenant": "acme" },
    });
    await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
    dispatcher = createDispatcher({
      storage,
      clock,
      transport: undiciTransport({ allowPrivateNetworks: true }),
      timeoutMs: 200,
      retry: { jitter: 0 },
      logger: captureLogger(),
    });
    return storage;
  }

  beforeEach(async () => {
    server = await startTestServer();
    url = `${server.origin}/hook`;
  });
  afterEach(async () => {
    await dispatcher.stop();
    await server.close();
  });

  it("POSTs the exact bytes with the delivery headers and a JWT the receiver accepts", async () => {
    server.route("/hook", reply(204));
    await start({ type: "jwt", algorithm: "HS256", issuer: ISSUER, keys: [{ kid: "k1", secret: SECRET }] });
    const result = await dispatcher.publish(eventInput());
    expect(await dispatcher.runOnce()).toBe(1);
    const delivery = await dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery).toMatchObject({ status: "delivered" });
    const [got] = server.received;
    expect(got!.body.toString("utf8")).toBe(delivery!.body);
    expect(got!.headers).toMatchObject({
      "content-type": "application/json",
      "user-agent": `feedback-webhooks/${VERSION}`,
      "webhook-id": delivery!.id,
      "webhook-timestamp": String(clock.now() / 1000),
      "webhook-attempt": "1",
      "x-tenant": "acme",
    });
    const claims = await verifyFeedbackToken(String(got!.headers.authorization), got!.body, {
      secret: SECRET,
      issuer: ISSUER,
      audience: url,
      subject: `${ORG}/${SANDBOX.name}`,
      now: () => clock.now(),
    });
    expect(claims).toMatchObject({ requestId: eventInput().requestId });
  });

  it("signs for Standard Webhooks verifiers", async () => {
    server.route("/hook", reply(200));
    const secret = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
    await start({ type: "standard-webhooks", secret }, Date.now());
    await dispatcher.publish(eventInput());
    await dispatcher.runOnce();
    const [got] = server.received;
    const headers = Object.fromEntries(Object.entries(got!.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(secret).verify(got!.body.toString("utf8"), headers)).toMatchObject({ imsOrg: ORG });
  });

  it("retries 500, 404 and 429 (Retry-After) until a 200, with a fresh token per attempt", async () => {
    server.route("/hook", sequence(reply(500), reply(404), reply(429, "", { "retry-after": "300" }), reply(200)));
    await start({ type: "jwt", algorithm: "HS256", issuer: ISSUER, keys: [{ kid: "k1", secret: SECRET }] });
    const result = await dispatcher.publish(eventInput());
    // 5 s and 30 s from the schedule; then Retry-After's 5 min beats the 2 min step.
    for (const wait of [0, 5_000, 30_000, 300_000]) {
      clock.advance(wait);
      expect(await dispatcher.runOnce()).toBe(1);
    }
    const delivery = await dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery!.attemptLog.map((a) => a.statusCode)).toEqual([500, 404, 429, 200]);
    const tokens = server.received.map((r) => r.headers.authorization);
    expect(new Set(tokens).size).toBe(4);
    expect(new Set(server.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
  });

  it("records a timeout and a reset connection as failed attempts, then delivers", async () => {
    server.route(
      "/hook",
      sequence(
        () => undefined,
        (req) => req.socket.destroy(),
        reply(200),
      ),
    );
    await start({ type: "none" });
    const result = await dispatcher.publish(eventInput());
    for (const wait of [0, 5_000, 30_000]) {
      clock.advance(wait);
      await dispatcher.runOnce();
    }
    const delivery = await dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery!.status).toBe("delivered");
    expect(delivery!.attemptLog[0]!.error).toMatch(/timed out after 200 ms/);
    expect(delivery!.attemptLog[1]!.error).toMatch(/failed/);
    expect(delivery!.attemptLog[1]!.statusCode).toBeUndefined();
  });

  it("disables the webhook on 410 Gone", async () => {
    server.route("/hook", reply(410));
    const storage = await start({ type: "none" });
    await dispatcher.publish(eventInput());
    await dispatcher.runOnce();
    expect((await dispatcher.stats())[0]).toMatchObject({ suspendedReason: "gone", pending: 1 });
    expect(await storage.claimDeliveries({ limit: 1, leaseMs: 1000 })).toEqual([]);
  });

  it("runs as a worker until stopped", async () => {
    server.route("/hook", reply(200));
    await start({ type: "none" });
    dispatcher.start();
    await dispatcher.publishMany(
      Array.from({ length: 20 }, (_, i) => eventInput({ requestId: `worker-${String(i).padStart(25, "0")}` })),
    );
    const deadline = Date.now() + 5_000;
    while (server.received.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await dispatcher.stop();
    expect(server.received).toHaveLength(20);
    expect((await dispatcher.deliveries.list({ status: "delivered" })).items).toHaveLength(20);
  });
});
