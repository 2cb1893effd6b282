import { randomBytes } from "node:crypto";
import pg from "pg";

/** The shared test server (`scripts/postgres-cluster.sh start`), or undefined: PostgreSQL cases are then skipped. */
export const DATABASE_URL = process.env.FW_TEST_DATABASE_URL || undefined;

/** A schema of this test's own on the shared server. */
export function uniqueSchema(): string {
  return `fw_rel_${randomBytes(6).toString("hex")}`;
}

/**
 * Runs one statement on the test server with a fresh client.
 *
 * @example
 * ```ts
 * await pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
 * ```
 */
export async function pgQuery(sql: string, params: unknown[] = [], url = DATABASE_URL): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Drops a test schema with everything in it. */
export function dropSchema(schema: string): Promise<unknown> {
  return pgQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
