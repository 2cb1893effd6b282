import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach } from "vitest";

/** The test server's URL (`scripts/postgres-cluster.sh start` prints it), or undefined. */
export const DATABASE_URL = process.env.FW_TEST_DATABASE_URL;

/** True when the PostgreSQL suites must be skipped; says so once per file, plainly. */
export function skipPostgres(file: string): boolean {
  if (DATABASE_URL === undefined || DATABASE_URL === "") {
    console.warn(
      `[${file}] SKIPPED the PostgreSQL tests: FW_TEST_DATABASE_URL is not set. ` +
        'Run `eval "$(bash scripts/postgres-cluster.sh start)"` first (CI always does).',
    );
    return true;
  }
  return false;
}

/** A schema name no other test uses: each test gets its own tables on the shared server. */
export function uniqueSchema(prefix = "fw_test"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

/**
 * Runs `fn` with a fresh client on the test server and closes it.
 *
 * @example
 * ```ts
 * await withClient((c) => c.query("DROP SCHEMA x CASCADE"));
 * ```
 */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops a test schema with everything in it. */
export function dropSchema(schema: string): Promise<unknown> {
  return withClient((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

/** Resolves after `ms` of real time. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Call inside a `describe`: hands out fresh schemas and tracks pools, ending the pools after each
 * test and dropping the schemas after the file.
 *
 * @example
 * ```ts
 * const pg = trackPostgres();
 * const storage = postgresStorage({ pool: pg.pool(new Pool({ connectionString })), schema: pg.schema() });
 * ```
 */
export function trackPostgres() {
  const schemas: string[] = [];
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });
  return {
    schema(): string {
      const schema = uniqueSchema();
      schemas.push(schema);
      return schema;
    },
    pool<P extends pg.Pool>(pool: P): P {
      pools.push(pool);
      return pool;
    },
  };
}
