import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../src/auth/index.js";
import { buildCli, runNode, scratchDir, startListen } from "../cli/cli-harness.js";

const scratch = scratchDir();
const { secret } = generateSigningKey("HS256");
let cli: Awaited<ReturnType<typeof buildCli>>;

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterAll(() => {
  cli?.remove();
  scratch.remove();
});

describe("examples/sender-sqlite.ts with feedback-webhooks listen", () => {
  it("delivers its batch to the CLI receiver, twice (the second run updates the configuration)", async () => {
    const listener = await startListen(cli.bin, ["--secret", secret]);
    try {
      const env = { FEEDBACK_SECRET: secret, WEBHOOK_URL: listener.url, FEEDBACK_DB: `${scratch.dir}/sender.sqlite` };
      for (const round of [1, 2]) {
        const run = await runNode(["--import", "tsx", "examples/sender-sqlite.ts"], { env, timeoutMs: 30_000 });
        expect(run.stderr).toBe("");
        expect(run).toMatchObject({ code: 0 });
        expect(run.stdout).toContain("4 of 4 delivered; stopped");
        await listener.waitForLines(/ request \S+/, 4 * round);
      }
      const lines = listener.stdout().trim().split("\n");
      expect(lines.filter((l) => /\bbounce +email .*Invalid Recipient \(code 10, Hard, async\)/.test(l))).toHaveLength(
        2,
      );
      expect(lines.filter((l) => /\bdelivered +sms +\+14155550123/.test(l))).toHaveLength(2);
    } finally {
      await listener.stop();
    }
  }, 60_000);
});

describe("examples/key-rotation.ts", () => {
  it("rotates from key A to key B through the JWKS without a receiver change", async () => {
    const run = await runNode(["--import", "tsx", "examples/key-rotation.ts"], { timeoutMs: 30_000 });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\. signing with key A +→ verified with key A\n/);
    expect(run.stdout).toMatch(/2\. key B added \(JWKS: A \+ B\) +→ verified with key B, no receiver change\n/);
    expect(run.stdout).toMatch(/3\. key A retired \(JWKS: B\) +→ verified with key B\n/);
  }, 40_000);
});

const PG_URL = process.env.FW_TEST_DATABASE_URL;
if (!PG_URL) console.info("note: examples/sender-postgres.ts not run; set FW_TEST_DATABASE_URL to run it");

describe.skipIf(!PG_URL)("examples/sender-postgres.ts (FW_TEST_DATABASE_URL)", () => {
  const schema = `fw_example_${process.pid}`;

  afterAll(async () => {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it("two workers share the queue: every event delivered exactly once", async () => {
    const listener = await startListen(cli.bin, ["--secret", secret]);
    try {
      const env = {
        DATABASE_URL: PG_URL,
        FEEDBACK_DB_SCHEMA: schema,
        FEEDBACK_SECRET: secret,
        WEBHOOK_URL: listener.url,
      };
      const run = await runNode(["--import", "tsx", "examples/sender-postgres.ts"], { env, timeoutMs: 45_000 });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/schema migrated from version 0 to \d+/);
      expect(run.stdout).toMatch(
        /worker-1 delivered \d+\nworker-2 delivered \d+\n20 of 20 delivered, each exactly once/,
      );
      await listener.waitForLines(/ request \S+/, 20);
      expect(listener.stdout().trim().split("\n")).toHaveLength(20);
    } finally {
      await listener.stop();
    }
  }, 60_000);
});
