import { describe, expect, it } from "vitest";
import { verifyFeedbackToken } from "../../src/auth/index.js";
import { createRegistry } from "../../src/config/create-registry.js";
import { createDispatcher, type HookEvents } from "../../src/dispatcher/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { createRecordingTransport } from "../../src/testing/recording-transport.js";
import { eventInput, setup } from "./helpers.js";

async function failOnce(h: Awaited<ReturnType<typeof setup>>): Promise<string> {
  const result = await h.dispatcher.publish(eventInput());
  if (result.status !== "enqueued") throw new Error("expected an enqueued delivery");
  h.transport.enqueue({ status: 503 });
  await h.dispatcher.runOnce();
  h.clock.advance(5_000);
  return result.deliveryId;
}

describe("configuration changes apply to the next attempt", () => {
  it("uses the new URL and headers", async () => {
    const h = await setup();
    await failOnce(h);
    await h.registry.update(
      h.config.id,
      { url: "https://new.example.com/hook", headers: { "X-Tenant": "globex" } },
      { expectedVersion: h.config.version },
    );
    await h.dispatcher.runOnce();
    const [first, second] = h.transport.requests;
    expect([first!.url, second!.url]).toEqual(["https://hooks.example.com/feedback", "https://new.example.com/hook"]);
    expect([first!.headers["x-tenant"], second!.headers["x-tenant"]]).toEqual(["acme", "globex"]);
  });

  it.each([
    ["disabled", { enabled: false }],
    ["channel_not_subscribed", { channels: ["sms" as const] }],
  ])("dead-letters (%s) when the webhook no longer takes the event", async (reason, patch) => {
    const dead: Array<HookEvents["onDead"]> = [];
    const h = await setup({ hooks: { onDead: (e) => void dead.push(e) } });
    const id = await failOnce(h);
    await h.registry.update(h.config.id, patch, { expectedVersion: h.config.version });
    await h.dispatcher.runOnce();
    expect(await h.dispatcher.deliveries.get(id)).toMatchObject({ status: "dead", deadReason: reason, attempts: 1 });
    expect(dead.map((d) => [d.reason, d.attempt])).toEqual([[reason, undefined]]);
    expect(h.transport.requests).toHaveLength(1);
  });

  it("dead-letters (no_config) when the configuration was deleted", async () => {
    const h = await setup();
    const id = await failOnce(h);
    await h.registry.delete(h.config.id);
    await h.dispatcher.runOnce();
    expect(await h.dispatcher.deliveries.get(id)).toMatchObject({ status: "dead", deadReason: "no_config" });
  });

  it("signs with the new auth after a switch from none to standard-webhooks", async () => {
    const h = await setup();
    await failOnce(h);
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    await h.registry.update(
      h.config.id,
      { auth: { type: "standard-webhooks", secret } },
      { expectedVersion: h.config.version },
    );
    await h.dispatcher.runOnce();
    const [first, second] = h.transport.requests;
    expect(first!.headers["webhook-signature"]).toBeUndefined();
    expect(second!.headers["webhook-signature"]).toMatch(/^v1,/);
  });
});

describe("keys encrypted at rest", () => {
  it("decrypts them with the dispatcher's encryptionKey to sign", async () => {
    const encryptionKey = Buffer.alloc(32, 3).toString("base64");
    const storage = memoryStorage();
    const registry = createRegistry({ storage, encryptionKey });
    const secret = "0123456789abcdef0123456789abcdef-at-rest";
    await registry.create({
      orgId: "myImsOrg",
      sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
      name: "Encrypted",
      channels: ["email"],
      url: "https://hooks.example.com/feedback",
      auth: { type: "jwt", algorithm: "HS256", issuer: "https://platform.example.com", keys: [{ kid: "k1", secret }] },
    });
    await registry.enableCampaign({
      orgId: "myImsOrg",
      sandboxName: "prod",
      campaignId: eventInput().messageExecution.campaignID,
    });
    expect(storage.rawConfigs().join()).not.toContain(secret);
    const transport = createRecordingTransport();
    const dispatcher = createDispatcher({ storage, transport, encryptionKey });
    await dispatcher.publish(eventInput());
    expect(await dispatcher.runOnce()).toBe(1);
    const [request] = transport.requests;
    await expect(
      verifyFeedbackToken(request!.headers.authorization!, request!.body, { secret }),
    ).resolves.toMatchObject({
      requestId: eventInput().requestId,
    });
  });
});
