import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAuthSigner } from "../../src/auth/create-auth-signer.js";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { createRegistry } from "../../src/config/create-registry.js";
import type { WebhookConfigInput } from "../../src/config/webhook-config-schema.js";
import { ConfigValidationError } from "../../src/errors.js";
import { memoryStorage } from "../../src/storage/memory/memory-storage.js";
import { HS_SECRET, ISSUER } from "./fixtures.js";

const KEY = randomBytes(32);
const es256 = generateSigningKey("ES256");
const whsec = generateSigningKey("standard-webhooks").secret;
const input = (auth: WebhookConfigInput["auth"], sandbox = "prod"): WebhookConfigInput => ({
  orgId: "myImsOrg",
  sandbox: { id: `sb-${sandbox}`, name: sandbox },
  name: "Feedback to CRM",
  channels: ["email"],
  url: "https://hooks.example.com/feedback",
  auth,
});
/** Every form in which a stored secret could leak into a raw row. */
const leaks = [
  HS_SECRET,
  Buffer.from(HS_SECRET).toString("base64url"),
  es256.privateKeyPem.split("\n")[1] as string,
  whsec.slice(6, 30),
];

async function seeded(encryptionKey?: Uint8Array) {
  const storage = memoryStorage();
  const registry = createRegistry(encryptionKey === undefined ? { storage } : { storage, encryptionKey });
  const hs = await registry.create(
    input({ type: "jwt", algorithm: "HS256", issuer: ISSUER, keys: [{ kid: "k1", secret: HS_SECRET }] }),
  );
  await registry.create(input({ type: "jwt", algorithm: "ES256", issuer: ISSUER, keys: [es256.configKey] }, "stage"));
  await registry.create(input({ type: "standard-webhooks", secret: whsec }, "dev"));
  return { storage, registry, id: hs.id };
}

describe("key material at rest (registry encryptionKey)", () => {
  it("stores no usable secret in the raw rows, only enc:v1 values", async () => {
    const { storage } = await seeded(KEY);
    const raw = storage.rawConfigs().join("\n");
    for (const leak of leaks) expect(raw).not.toContain(leak);
    expect(raw.match(/enc:v1:/g)).toHaveLength(3);
  });

  it("decrypts on read: the configs sign as before", async () => {
    const { registry, id } = await seeded(KEY);
    const config = await registry.getById(id);
    expect(config?.auth.type === "jwt" && config.auth.keys[0]?.secret?.reveal()).toEqual(
      new TextEncoder().encode(HS_SECRET),
    );
    const stage = await registry.get({ orgId: "myImsOrg", sandboxName: "stage" });
    const signer = createAuthSigner(stage!);
    const headers = await signer.sign({ body: "{}", deliveryId: "d", timestamp: 1, requestId: "r" });
    expect(headers.authorization).toMatch(/^Bearer ey/);
  });

  it("fails clearly with a wrong key, without quoting the material", async () => {
    const { storage, id } = await seeded(KEY);
    const wrong = createRegistry({ storage, encryptionKey: randomBytes(32) });
    const error = await wrong.getById(id).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.message).toContain("the encryption key is wrong");
    for (const leak of leaks) expect(error.message).not.toContain(leak);
  });

  it("refuses plaintext rows when an encryption key is set (stored before encryption was turned on)", async () => {
    const { storage, id } = await seeded();
    expect(storage.rawConfigs().join()).toContain(Buffer.from(HS_SECRET).toString("base64url"));
    const error = await createRegistry({ storage, encryptionKey: KEY })
      .getById(id)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.message).toContain("the stored key material is not encrypted");
  });
});

describe("encrypted rows read without the encryption key", () => {
  it("fail clearly instead of signing with the ciphertext as the key", async () => {
    const { storage, id } = await seeded(KEY);
    const error = await createRegistry({ storage })
      .getById(id)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.message).toContain("pass the registry's encryptionKey");
  });
});
