import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRegistry } from "../../src/config/index.js";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { createTestEvent } from "../../src/testing/index.js";
import { buildCli, runCli, scratchDir } from "./cli-harness.js";

const scratch = scratchDir();
const db = `${scratch.dir}/deliveries.sqlite`;
let cli: Awaited<ReturnType<typeof buildCli>>;
let deadIds: string[] = [];
const fw = (...args: string[]) => runCli(cli.bin, [...args, "--db", db]);

/** Two deliveries to a closed port with no retries: two dead letters with one attempt each. */
async function seedDeadLetters(): Promise<string[]> {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const storage = sqliteStorage({ filename: db });
  const registry = createRegistry({ storage });
  const event = createTestEvent("bounce");
  await registry.create({
    orgId: event.imsOrg,
    sandbox: event.sandbox,
    name: "Closed port",
    channels: ["email"],
    url: `http://127.0.0.1:${port}/webhooks`,
    auth: { type: "none" },
    allowHttp: true,
  });
  await registry.enableCampaign({
    orgId: event.imsOrg,
    sandboxName: event.sandbox.name,
    campaignId: event.messageExecution.campaignID,
  });
  const dispatcher = createDispatcher({
    storage,
    allowPrivateNetworks: true,
    retry: { schedule: [] },
    logger: { info() {}, warn() {}, error() {} },
  });
  const results = await dispatcher.publishMany([event, createTestEvent("delivered", { requestId: event.requestId })]);
  await dispatcher.runOnce();
  await dispatcher.stop();
  await storage.close();
  return results.flatMap((r) => (r.status === "enqueued" ? [r.deliveryId] : []));
}

beforeAll(async () => {
  cli = await buildCli();
  deadIds = await seedDeadLetters();
}, 60_000);
afterAll(() => {
  cli?.remove();
  scratch.remove();
});

describe("deliveries", () => {
  it("list shows the queue as a table with the last answer", async () => {
    const run = await fw("deliveries", "list", "--status", "dead");
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split("\n");
    expect(header).toMatch(/^id\s+status\s+attempts\s+last\s+request\s+config\s+when$/);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\S{36}\s+dead\s+1\s+.*dead \S+ \(max_attempts\)$/);
  });

  it("list --json prints one delivery per line; filters combine", async () => {
    const run = await fw("deliveries", "list", "--json", "--since", "1h", "--limit", "1");
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ status: "dead", attempts: 1 });
    expect((await fw("deliveries", "list", "--status", "delivered")).stdout).toBe("no deliveries\n");
  });

  it("show prints the delivery and its attempt log", async () => {
    const run = await fw("deliveries", "show", deadIds[0] as string);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^id\\s+${deadIds[0]}\\nstatus\\s+dead\\s+dead `));
    expect(run.stdout).toMatch(/\n#\s+started\s+duration\s+answer\s+detail\n1\s+\S+Z\s+\d+ ms\s+\S+/);
  });

  it("redeliver puts one dead letter back; a second redeliver is refused (exit 1)", async () => {
    const id = deadIds[0] as string;
    const run = await fw("deliveries", "redeliver", id);
    expect(run).toMatchObject({ code: 0, stdout: `delivery ${id} is pending again: a running dispatcher sends it\n` });
    const again = await fw("deliveries", "redeliver", id);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`error: Delivery ${id} is pending; only dead deliveries can be redelivered.\n`);
  });

  it("redeliver --dead puts every recent dead letter back", async () => {
    const run = await fw("deliveries", "redeliver", "--dead", "--since", "1h");
    expect(run).toMatchObject({ code: 0, stdout: "1 dead delivery put back in the queue\n" });
    expect((await fw("deliveries", "list", "--status", "pending")).stdout.trim().split("\n")).toHaveLength(3);
  });

  it("an unknown id fails with one line; an id and --dead together is a usage error", async () => {
    expect(await fw("deliveries", "redeliver", "nope")).toMatchObject({
      code: 1,
      stderr: "error: No delivery found with id nope.\n",
    });
    expect((await fw("deliveries", "redeliver", "nope", "--dead")).code).toBe(2);
    expect((await fw("deliveries", "list", "--since", "yesterday")).code).toBe(2);
  });
});

describe("migrate", () => {
  it("--db creates (or checks) the SQLite schema", async () => {
    const run = await runCli(cli.bin, ["migrate", "--db", `${scratch.dir}/fresh.sqlite`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SQLite database \S+fresh\.sqlite is at schema version \d+\n$/);
  });

  it("an unreachable PostgreSQL fails with one line that never shows the password", async () => {
    const run = await runCli(cli.bin, ["migrate", "--database-url", "postgres://app:hunter2secret@127.0.0.1:1/app"], {
      timeoutMs: 20_000,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: .+\n$/);
    expect(run.stderr).not.toContain("hunter2secret");
  });
});

const PG_URL = process.env.FW_TEST_DATABASE_URL;
if (!PG_URL) console.info("note: PostgreSQL CLI tests skipped; set FW_TEST_DATABASE_URL to run them");

describe.skipIf(!PG_URL)("migrate and config on PostgreSQL (FW_TEST_DATABASE_URL)", () => {
  const schema = `fw_cli_${process.pid}`;
  const env = { FW_DATABASE_URL: PG_URL };

  afterAll(async () => {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("migrate creates the schema, then finds it up to date", async () => {
    const first = await runCli(cli.bin, ["migrate", "--db-schema", schema], { env });
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^PostgreSQL schema ${schema} migrated from version 0 to \\d+\\n$`)),
    });
    const second = await runCli(cli.bin, ["migrate", "--db-schema", schema], { env });
    expect(second.stdout).toMatch(new RegExp(`^PostgreSQL schema ${schema} is already at version \\d+\\n$`));
  });

  it("config create and list go through the same storage", async () => {
    const create = await runCli(
      cli.bin,
      [
        "config",
        "create",
        "--org",
        "pgOrg",
        "--sandbox",
        "prod",
        "--name",
        "PG",
        "--url",
        "https://hooks.example.com/f",
        "--no-auth",
        "--db-schema",
        schema,
      ],
      { env },
    );
    expect(create.code).toBe(0);
    const list = await runCli(cli.bin, ["config", "list", "--json", "--db-schema", schema], { env });
    expect(JSON.parse(list.stdout)).toMatchObject({ orgId: "pgOrg", name: "PG" });
  });
});
