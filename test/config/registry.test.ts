import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createRegistry } from "../../src/config/create-registry.js";
import { isWebhookError } from "../../src/errors.js";
import { memoryStorage } from "../../src/storage/memory/memory-storage.js";
import { TEST_HS_SECRET, validConfig } from "./valid-config.js";

function setup() {
  const storage = memoryStorage();
  return { storage, registry: createRegistry({ storage }) };
}

describe("registry", () => {
  it("creates a config with id, version 1 and dates, and reads it back by org + sandbox and id", async () => {
    const { registry } = setup();
    const created = await registry.create(validConfig());
    expect(created.version).toBe(1);
    expect(created.enabled).toBe(true);
    const byPair = await registry.get({ orgId: "myImsOrg", sandboxName: "prod" });
    expect(byPair?.id).toBe(created.id);
    const byId = await registry.getById(created.id);
    expect(byId?.name).toBe("Feedback to CRM");
    expect(byId?.auth.type === "jwt" && byId.auth.keys[0]?.secret?.reveal()).toEqual(
      new TextEncoder().encode(TEST_HS_SECRET),
    );
  });

  it("lets exactly one of 50 concurrent creates for one org + sandbox win; the others name the winner", async () => {
    const { registry } = setup();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => registry.create(validConfig())));
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const winnerId = (won[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    for (const r of lost) {
      const reason = (r as PromiseRejectedResult).reason;
      expect(isWebhookError(reason, "ERR_CONFIG_CONFLICT")).toBe(true);
      expect(reason.existingId).toBe(winnerId);
      expect(reason.message).toContain(winnerId);
    }
  });

  it("allows one config per sandbox of the same org", async () => {
    const { registry } = setup();
    await registry.create(validConfig());
    const dev = await registry.create(validConfig({ sandbox: { id: "s2", name: "dev" } }));
    expect(dev.sandbox.name).toBe("dev");
    expect((await registry.list({ orgId: "myImsOrg" })).items).toHaveLength(2);
  });

  it("updates with optimistic concurrency and refuses a stale version without writing", async () => {
    const { registry } = setup();
    const created = await registry.create(validConfig());
    const updated = await registry.update(created.id, { name: "Renamed" }, { expectedVersion: 1 });
    expect(updated.version).toBe(2);
    expect(updated.channels).toEqual(["email", "sms"]);
    const stale = registry.update(created.id, { name: "Lost update" }, { expectedVersion: 1 });
    await expect(stale).rejects.toMatchObject({ code: "ERR_VERSION_CONFLICT", expectedVersion: 1, actualVersion: 2 });
    expect((await registry.getById(created.id))?.name).toBe("Renamed");
  });

  it("validates a patch against the merged config (authorization header refused once JWT is on)", async () => {
    const { registry } = setup();
    const created = await registry.create(validConfig({ auth: { type: "none" }, headers: { authorization: "Basic x" } }));
    const patch = registry.update(
      created.id,
      { auth: { type: "jwt", algorithm: "HS256", issuer: "i", keys: [{ kid: "k", secret: TEST_HS_SECRET }] } },
      { expectedVersion: 1 },
    );
    await expect(patch).rejects.toMatchObject({ code: "ERR_CONFIG_INVALID" });
    expect((await registry.getById(created.id))?.auth.type).toBe("none");
  });

  it("does not reset fields a patch leaves out", async () => {
    const { registry } = setup();
    const created = await registry.create(validConfig({ enabled: false, allowHttp: false }));
    const updated = await registry.update(created.id, { name: "x" }, { expectedVersion: created.version });
    expect(updated.enabled).toBe(false);
    expect(updated.headers).toEqual({ "x-tenant": "acme" });
  });

  it("throws ConfigNotFoundError when updating a missing id", async () => {
    const { registry } = setup();
    await expect(registry.update("nope", { name: "x" }, { expectedVersion: 1 })).rejects.toMatchObject({
      code: "ERR_CONFIG_NOT_FOUND",
    });
  });

  it("deletes, honouring expectedVersion, and frees the org + sandbox pair", async () => {
    const { registry } = setup();
    const created = await registry.create(validConfig());
    await expect(registry.delete(created.id, { expectedVersion: 7 })).rejects.toMatchObject({
      code: "ERR_VERSION_CONFLICT",
    });
    expect(await registry.delete(created.id, { expectedVersion: 1 })).toBe(true);
    expect(await registry.delete(created.id)).toBe(false);
    await expect(registry.create(validConfig())).resolves.toMatchObject({ version: 1 });
  });

  it("pages through configs with a cursor", async () => {
    const { registry } = setup();
    for (let i = 0; i < 5; i++) await registry.create(validConfig({ sandbox: { id: `s${i}`, name: `sb${i}` } }));
    const first = await registry.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await registry.list({ limit: 2, cursor: first.nextCursor });
    const third = await registry.list({ limit: 2, cursor: second.nextCursor });
    expect(third.items).toHaveLength(1);
    expect(third.nextCursor).toBeUndefined();
    const ids = [...first.items, ...second.items, ...third.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(5);
  });

  it("records the campaign switch per org + sandbox", async () => {
    const { registry } = setup();
    const key = { orgId: "o", sandboxName: "prod", campaignId: "c1" };
    expect(await registry.isCampaignEnabled(key)).toBe(false);
    await registry.enableCampaign(key);
    expect(await registry.isCampaignEnabled(key)).toBe(true);
    expect(await registry.isCampaignEnabled({ ...key, sandboxName: "dev" })).toBe(false);
    expect(await registry.listEnabledCampaigns({ orgId: "o", sandboxName: "prod" })).toEqual(["c1"]);
    await registry.disableCampaign(key);
    expect(await registry.isCampaignEnabled(key)).toBe(false);
  });

  it("never shows secrets in JSON, util.inspect, template strings or errors", async () => {
    const { registry } = setup();
    const config = await registry.create(validConfig());
    const outputs = [JSON.stringify(config), inspect(config, { depth: 10 }), `${JSON.stringify({ ...config })}`];
    for (const out of outputs) expect(out).not.toContain(TEST_HS_SECRET);
    const weak = await registry.create(validConfig({ sandbox: { id: "x", name: "x" }, auth: {
      type: "jwt", algorithm: "HS256", issuer: "i", keys: [{ kid: "k", secret: "short-secret-value" }],
    } })).catch((e: Error) => e);
    expect(String((weak as Error).message)).not.toContain("short-secret-value");
  });
});
