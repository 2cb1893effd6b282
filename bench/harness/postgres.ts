import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("../../scripts/postgres-cluster.sh", import.meta.url));

/** A PostgreSQL server for the bench. */
export interface BenchPostgres {
  url: string;
  /** `version`, `fsync`, `synchronous_commit`, `full_page_writes` as the server reports them. */
  settings: Record<string, string>;
  /** True when the bench started (and will stop) the cluster itself. */
  owned: boolean;
  stop(): Promise<void>;
}

async function settingsOf(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, string> = {};
    for (const name of ["server_version", "fsync", "synchronous_commit", "full_page_writes", "shared_buffers"]) {
      out[name] = (await client.query(`SHOW ${name}`)).rows[0]?.[name] as string;
    }
    return out;
  } finally {
    await client.end();
  }
}

/**
 * `FW_BENCH_DATABASE_URL` when set (used as is, its settings reported), else a throwaway cluster
 * from `scripts/postgres-cluster.sh`. That script turns fsync off for fast test suites; the bench
 * turns it back on (ALTER SYSTEM + reload, on its own cluster only) because the targets are
 * stated at the default, power-loss-safe durability. Undefined when neither is available.
 */
export async function startPostgres(): Promise<BenchPostgres | undefined> {
  const given = process.env.FW_BENCH_DATABASE_URL;
  if (given) return { url: given, settings: await settingsOf(given), owned: false, stop: async () => undefined };
  if (!existsSync(SCRIPT)) return undefined;
  const envDir = mkdtempSync(join(tmpdir(), "fw-bench-pg-"));
  const envFile = join(envDir, "env");
  try {
    await run("bash", [SCRIPT, "start", envFile], { timeout: 300_000 });
  } catch (error) {
    rmSync(envDir, { recursive: true, force: true });
    process.stderr.write(
      `bench: could not start PostgreSQL (${(error as Error).message.split("\n")[0]}); skipping its scenarios\n`,
    );
    return undefined;
  }
  const env = Object.fromEntries(
    [...readFileSync(envFile, "utf8").matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
  );
  rmSync(envDir, { recursive: true, force: true });
  const url = env.FW_TEST_DATABASE_URL!;
  const dir = env.FW_PG_CLUSTER_DIR!;
  const stop = async () => {
    await run("bash", [SCRIPT, "stop", dir], { timeout: 120_000 }).catch(() => undefined);
  };
  try {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const sql of [
      "ALTER SYSTEM SET fsync = on",
      "ALTER SYSTEM SET full_page_writes = on",
      "ALTER SYSTEM SET synchronous_commit = on",
    ]) {
      await client.query(sql);
    }
    await client.query("SELECT pg_reload_conf()");
    await client.end();
    // The reload is asynchronous: wait until a new session sees it.
    let settings = await settingsOf(url);
    for (let i = 0; i < 50 && settings.fsync !== "on"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      settings = await settingsOf(url);
    }
    return { url, settings, owned: true, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

let schemas = 0;

/** A schema name of its own for one run, e.g. `bench_publish_12345_3`. */
export function freshSchema(tag: string): string {
  return `bench_${tag}_${process.pid}_${schemas++}`;
}

/** Drops a schema the bench created, with everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Transactions committed so far in the bench's database (`pg_stat_database.xact_commit`): every
 * autocommit statement counts one. PostgreSQL publishes these counters up to a second late, so
 * wait before the second reading.
 */
export async function committedTransactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(rows[0]?.n ?? Number.NaN);
  } finally {
    await client.end();
  }
}

/**
 * The same database with `synchronous_commit = off` for the sessions of this URL: commits stop
 * waiting for the WAL flush (what SQLite's `durability: "normal"` is to `"full"`).
 */
export function withoutCommitWait(url: string): string {
  const u = new URL(url);
  u.searchParams.set("options", "-c synchronous_commit=off");
  return u.toString();
}
