import pg from "pg";
import { DATABASE_URL } from "./postgres.js";

/** A statement a client of {@link recordingPool} ran: its text and parameters. */
export interface RecordedStatement {
  text: string;
  values: unknown[];
}

/**
 * A pool of one client that records every statement it sends to the server (text and
 * parameters), in order: one entry is one round trip.
 *
 * @example
 * ```ts
 * const { pool, statements } = recordingPool();
 * const storage = postgresStorage({ pool, schema });
 * ```
 */
export function recordingPool(): { pool: pg.Pool; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // `pool.query` passes a callback as the last argument: forward every argument as given.
    (client as unknown as { query: typeof query }).query = (...args) => {
      const [first, second] = args;
      const text = typeof first === "string" ? first : (first as { text: string }).text;
      statements.push({ text, values: Array.isArray(second) ? second : [] });
      return query(...args);
    };
  });
  return { pool, statements };
}
