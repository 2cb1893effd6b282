import type pg from "pg";

/**
 * Runs `fn` in one transaction on a client checked out of `pool`: COMMIT when it resolves,
 * ROLLBACK when it throws. While checked out the client has an `error` listener: a server that
 * goes away mid-call makes the client emit `error`, which without a listener would crash the
 * process instead of failing this call. A client that saw an error is destroyed, not reused.
 * `settings` (`SET LOCAL …;` statements) travel with BEGIN as one simple query: one round trip.
 *
 * @example
 * ```ts
 * const n = await inTransaction(pool, async (client) => (await client.query("SELECT 1")).rowCount);
 * ```
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  settings?: string,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query(settings === undefined ? "BEGIN" : `BEGIN; ${settings}`);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((e: Error) => {
      broken ??= e;
    });
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}
