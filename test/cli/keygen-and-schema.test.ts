import { readFileSync, statSync, writeFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEvent } from "../../src/testing/index.js";
import { buildCli, runCli, scratchDir } from "./cli-harness.js";

const scratch = scratchDir();
let cli: Awaited<ReturnType<typeof buildCli>>;

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => {
  cli?.remove();
  scratch.remove();
});

describe("keygen", () => {
  it("HS256 prints one base64url secret of 32 bytes on stdout, the hints on stderr", async () => {
    const run = await runCli(cli.bin, ["keygen"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(Buffer.from(run.stdout.trim(), "base64url")).toHaveLength(32);
    expect(run.stderr).toContain("HS256 shared secret (base64url)");
    expect(run.stderr).not.toContain(run.stdout.trim());
  });

  it("HS512 --json prints the secret with its kid and encoding", async () => {
    const run = await runCli(cli.bin, ["keygen", "--alg", "HS512", "--json"]);
    const key = JSON.parse(run.stdout);
    expect(key).toMatchObject({ alg: "HS512", secretEncoding: "base64url", kid: expect.any(String) });
    expect(Buffer.from(key.secret, "base64url")).toHaveLength(64);
  });

  it("standard-webhooks prints a whsec_ secret", async () => {
    const run = await runCli(cli.bin, ["keygen", "--alg", "standard-webhooks"]);
    expect(run.stdout).toMatch(/^whsec_[A-Za-z0-9+/=]{44}\n$/);
  });

  it.each(["ES256", "EdDSA", "RS256"])(
    "%s writes the private key to a 0600 file and prints the public JWK",
    async (alg) => {
      const out = `${scratch.dir}/${alg}.pem`;
      const run = await runCli(cli.bin, ["keygen", "--alg", alg, "--out", out], { timeoutMs: 30_000 });
      expect(run.code).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(readFileSync(out, "utf8")).toContain("-----BEGIN PRIVATE KEY-----");
      const jwk = JSON.parse(run.stdout);
      expect(jwk).toMatchObject({ alg, use: "sig", kid: expect.any(String) });
      expect(jwk.d).toBeUndefined();
      expect(run.stdout).not.toContain("PRIVATE KEY");
      expect(run.stderr).toContain(`private key written to ${out} (mode 0600)`);
    },
  );

  it("--format jwk writes the private JWK", async () => {
    const out = `${scratch.dir}/ed.jwk`;
    const run = await runCli(cli.bin, ["keygen", "--alg", "EdDSA", "--format", "jwk", "--out", out]);
    expect(run.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toMatchObject({ kty: "OKP", crv: "Ed25519", d: expect.any(String) });
  });

  it("never overwrites an existing key file: exit 1, file unchanged", async () => {
    const out = `${scratch.dir}/existing.pem`;
    writeFileSync(out, "old key");
    const run = await runCli(cli.bin, ["keygen", "--alg", "ES256", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: ${out} already exists; choose another --out or remove it first (it may hold a key in use).\n`,
    );
    expect(readFileSync(out, "utf8")).toBe("old key");
  });

  it("an unknown algorithm is a usage error", async () => {
    const run = await runCli(cli.bin, ["keygen", "--alg", "none"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'none' is invalid");
  });
});

describe("schema", () => {
  it("payload (the default) is a JSON Schema that accepts a valid event and refuses a broken one", async () => {
    const run = await runCli(cli.bin, ["schema"]);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout);
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const event = createTestEvent("bounce");
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, channel: "fax" })).toBe(false);
  });

  it("config is a JSON Schema that accepts a configuration input", async () => {
    const run = await runCli(cli.bin, ["schema", "config"]);
    expect(run.code).toBe(0);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(run.stdout));
    const input = {
      orgId: "myImsOrg",
      sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
      name: "CRM feedback",
      channels: ["email"],
      url: "https://hooks.example.com/feedback",
      auth: { type: "none" },
    };
    expect(validate(input)).toBe(true);
    expect(validate({ ...input, channels: [] })).toBe(false);
  });

  it("an unknown schema name is a usage error", async () => {
    const run = await runCli(cli.bin, ["schema", "invoice"]);
    expect(run.code).toBe(2);
  });
});
