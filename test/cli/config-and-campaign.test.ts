import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, type CliRun, runCli, scratchDir } from "./cli-harness.js";

const scratch = scratchDir();
const SECRET = Buffer.alloc(32, 7).toString("base64url");
let cli: Awaited<ReturnType<typeof buildCli>>;
let db: string;
let n = 0;

/** Runs a command against this test's SQLite file. */
const fw = (...args: string[]) => runCli(cli.bin, [...args, "--db", db]);

const CREATE = [
  "config",
  "create",
  "--org",
  "myImsOrg",
  "--sandbox",
  "prod",
  "--name",
  "CRM feedback",
  "--url",
  "https://hooks.example.com/feedback",
];

/** No output of any command may contain the secret. */
function expectNoSecret(run: CliRun): void {
  expect(run.stdout + run.stderr).not.toContain(SECRET);
}

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => {
  cli?.remove();
  scratch.remove();
});

describe("config over a SQLite file", () => {
  // A fresh database per test: one valid configuration, one change per test.
  const fresh = () => {
    db = `${scratch.dir}/config-${++n}.sqlite`;
  };

  it("create → show → list → update → delete, secrets always [REDACTED]", async () => {
    fresh();
    const created = await fw(...CREATE, "--secret", SECRET, "--header", "x-team: crm", "--json");
    expect(created.code).toBe(0);
    expectNoSecret(created);
    const config = JSON.parse(created.stdout);
    expect(config).toMatchObject({
      version: 1,
      orgId: "myImsOrg",
      sandbox: { id: "prod", name: "prod" },
      channels: ["email", "sms"],
      headers: { "x-team": "crm" },
      enabled: true,
      auth: {
        type: "jwt",
        algorithm: "HS256",
        issuer: "feedback-webhooks",
        keys: [{ kid: "key-1", secret: "[REDACTED]" }],
      },
    });

    const shown = await fw("config", "show", config.id);
    expect(shown.code).toBe(0);
    expectNoSecret(shown);
    expect(shown.stdout).toContain("jwt HS256");
    expect(shown.stdout).toContain("key-1 [REDACTED]");
    expect(shown.stdout).toContain("x-team: crm");

    const byKey = await fw("config", "show", "--org", "myImsOrg", "--sandbox", "prod", "--json");
    expect(JSON.parse(byKey.stdout).id).toBe(config.id);

    const listed = await fw("config", "list");
    expect(listed.stdout).toMatch(
      new RegExp(`^id\\s+org\\s+sandbox.*\\n${config.id}\\s+myImsOrg\\s+prod\\s+CRM feedback`),
    );

    const updated = await fw(
      "config",
      "update",
      config.id,
      "--disable",
      "--remove-header",
      "x-team",
      "--channels",
      "email",
      "--json",
    );
    expect(updated.code).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ version: 2, enabled: false, headers: {}, channels: ["email"] });

    const deleted = await fw("config", "delete", "--org", "myImsOrg", "--sandbox", "prod");
    expect(deleted).toMatchObject({
      code: 0,
      stdout: `deleted webhook configuration ${config.id} (org "myImsOrg" sandbox "prod")\n`,
    });
    expect((await fw("config", "list")).stdout).toBe("no webhook configurations\n");
  });

  it("reports every validation problem at once, exactly as the library words them (exit 1)", async () => {
    fresh();
    const run = await fw(
      "config",
      "create",
      "--org",
      "o",
      "--sandbox",
      "prod",
      "--name",
      "CRM",
      "--url",
      "http://hooks.example.com/x",
      "--secret",
      "too-short",
      "--secret-encoding",
      "utf8",
      "--header",
      "content-type: text/plain",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: Invalid webhook configuration \(3 problems\):\n/);
    expect(run.stderr).toContain("  - url: must use https:");
    expect(run.stderr).toContain("  - auth.keys[0].secret: HMAC secret must be at least 32 random bytes, got 9");
    expect(run.stderr).toContain('  - headers.content-type: "content-type" is set by the SDK');
    expect(run.stderr).not.toContain("too-short");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("a second configuration for the same org + sandbox is a conflict naming the existing id", async () => {
    fresh();
    const first = JSON.parse((await fw(...CREATE, "--no-auth", "--json")).stdout);
    const second = await fw(...CREATE, "--no-auth");
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`already exists for org "myImsOrg" sandbox "prod" (id ${first.id})`);
  });

  it("a stale --expected-version writes nothing", async () => {
    fresh();
    const config = JSON.parse((await fw(...CREATE, "--no-auth", "--json")).stdout);
    await fw("config", "update", config.id, "--name", "v2");
    const stale = await fw("config", "update", config.id, "--name", "lost", "--expected-version", "1");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("is at version 2, not 1");
    expect(JSON.parse((await fw("config", "show", config.id, "--json")).stdout).name).toBe("v2");
  });

  it("authentication must be chosen explicitly (usage error, exit 2)", async () => {
    fresh();
    const run = await fw(...CREATE);
    expect(run).toMatchObject({
      code: 2,
      stderr: "error: choose the authentication: --secret <secret>, --private-key <file> or --no-auth.\n",
    });
  });

  it("--from-file reads the fields, flags override them; http needs --allow-http and a loopback host", async () => {
    fresh();
    const file = `${scratch.dir}/webhook.json`;
    writeFileSync(
      file,
      JSON.stringify({
        orgId: "fileOrg",
        sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "dev" },
        name: "From file",
        channels: ["sms"],
        url: "http://127.0.0.1:3000/webhooks",
        auth: { type: "none" },
      }),
    );
    const refused = await fw("config", "create", "--from-file", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("http: needs allowHttp: true");
    const created = await fw("config", "create", "--from-file", file, "--allow-http", "--name", "Overridden", "--json");
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      orgId: "fileOrg",
      sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "dev" },
      name: "Overridden",
      channels: ["sms"],
      allowHttp: true,
    });
  });

  it("a key pair from keygen: the kid defaults to the key's thumbprint, as in the public JWK", async () => {
    fresh();
    const keyFile = `${scratch.dir}/signing-${n}.pem`;
    const jwk = JSON.parse((await runCli(cli.bin, ["keygen", "--alg", "ES256", "--out", keyFile])).stdout);
    const run = await fw(...CREATE, "--private-key", keyFile, "--json");
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("PRIVATE KEY");
    expect(JSON.parse(run.stdout).auth).toMatchObject({
      algorithm: "ES256",
      keys: [{ kid: jwk.kid, privateKey: "[REDACTED]" }],
    });
  });

  it("the secret can come from FW_SECRET instead of the command line", async () => {
    fresh();
    const run = await runCli(cli.bin, [...CREATE, "--db", db, "--json"], { env: { FW_SECRET: SECRET } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).auth.type).toBe("jwt");
  });

  it("with --encryption-key the key material is sealed at rest, and unreadable without it", async () => {
    fresh();
    const key = Buffer.alloc(32, 1).toString("base64url");
    expect((await fw(...CREATE, "--secret", SECRET, "--encryption-key", key)).code).toBe(0);
    const shown = await fw("config", "show", "--org", "myImsOrg", "--sandbox", "prod", "--encryption-key", key);
    expect(shown.code).toBe(0);
    const stored = ["", "-wal"].map((suffix) =>
      existsSync(db + suffix) ? readFileSync(db + suffix).toString("latin1") : "",
    );
    expect(stored.join()).toContain("enc:v1:");
    expect(stored.join()).not.toContain(SECRET);
    const withoutKey = await fw("config", "update", "--org", "myImsOrg", "--sandbox", "prod", "--name", "renamed");
    expect(withoutKey.code).toBe(1);
    expect(withoutKey.stderr).toContain("pass the registry's encryptionKey");
  });

  it("show of a missing configuration fails with one line", async () => {
    fresh();
    const run = await fw("config", "show", "--org", "nobody", "--sandbox", "prod");
    expect(run).toMatchObject({
      code: 1,
      stderr: 'error: No webhook configuration found for org "nobody" sandbox "prod".\n',
    });
  });
});

describe("campaign switch", () => {
  it("enable, list, disable", async () => {
    db = `${scratch.dir}/campaigns.sqlite`;
    const key = ["--org", "myImsOrg", "--sandbox", "prod"];
    expect((await fw("campaign", "enable", "c-2", ...key)).code).toBe(0);
    expect((await fw("campaign", "enable", "c-1", ...key)).stdout).toBe(
      'enabled webhooks for campaign c-1 (org "myImsOrg" sandbox "prod")\n',
    );
    expect((await fw("campaign", "list", ...key)).stdout).toBe("c-1\nc-2\n");
    expect((await fw("campaign", "disable", "c-2", ...key)).code).toBe(0);
    expect((await fw("campaign", "list", ...key)).stdout).toBe("c-1\n");
  });

  it("--org and --sandbox are required (usage error)", async () => {
    const run = await fw("campaign", "enable", "c-1");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--org <orgId>' not specified");
  });
});
