import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { configRecord, newDelivery } from "../contract/storage-harness.js";
import { DATABASE_URL, skipPostgres, trackPostgres } from "./helpers/postgres.js";

const opts = { idempotencyWindowMs: 86_400_000 };

/** One claim round of the dispatcher: refresh the breaker, claim, renew one lease, settle all. */
async function round(storage: Storage): Promise<number> {
  await storage.listEndpointStates();
  const claimed = await storage.claimDeliveries({ limit: 10, leaseMs: 60_000 });
  if (claimed[0] !== undefined) {
    expect(await storage.renewLease(claimed[0].id, claimed[0].claimToken, 60_000)).toBe(true);
  }
  const settled = await storage.settleDeliveries!(
    claimed.map((c) => ({ id: c.id, claimToken: c.claimToken, settlement: { next: { status: "delivered" } } })),
  );
  expect(settled.every(Boolean)).toBe(true);
  return claimed.length;
}

// The hot path's statements run prepared: parsed and planned once per connection, not per call.
describe.skipIf(skipPostgres("postgres-prepared.test.ts"))("PostgreSQL prepared statements", () => {
  const tracked = trackPostgres();

  async function storageOn(pool: pg.Pool, deliveries: number, preparedStatements?: boolean) {
    const schema = tracked.schema();
    const storage = postgresStorage({ pool, schema, ...(preparedStatements === false && { preparedStatements }) });
    const config = configRecord();
    await storage.insertConfig(config);
    await storage.enqueueDeliveries(
      Array.from({ length: deliveries }, () => newDelivery({ configId: config.id })),
      opts,
    );
    return storage;
  }

  const onePool = () => {
    const pool = tracked.pool(new pg.Pool({ connectionString: DATABASE_URL, max: 1 }));
    return pool;
  };

  it("prepares the claim, the settle, the lease renewal and the endpoint list once per connection", async () => {
    const pool = onePool();
    const storage = await storageOn(pool, 30);
    let delivered = 0;
    for (let i = 0; i < 3; i++) delivered += await round(storage);
    expect(delivered).toBe(30);
    const { rows } = await pool.query<{ name: string }>(
      "SELECT name FROM pg_prepared_statements WHERE name LIKE 'fw\\_%' ORDER BY name",
    );
    expect(rows.map((r) => r.name.split("_")[1])).toEqual(["claim", "endpoints", "renew", "settle"]);
  });

  it("prepares nothing with preparedStatements: false (poolers that cannot keep them)", async () => {
    const pool = onePool();
    const storage = await storageOn(pool, 12, false);
    expect((await round(storage)) + (await round(storage))).toBe(12);
    const { rows } = await pool.query("SELECT name FROM pg_prepared_statements");
    expect(rows).toEqual([]);
  });

  // Two schemas on one pool: the same statement of each has its own text, so it needs its own
  // name (`pg` refuses a name it prepared for another text on that connection).
  it("keeps the statements of two schemas on one pool apart", async () => {
    const pool = onePool();
    const first = await storageOn(pool, 12);
    const second = await storageOn(pool, 7);
    expect([await round(first), await round(second), await round(first), await round(second)]).toEqual([10, 7, 2, 0]);
    const { rows } = await pool.query("SELECT name FROM pg_prepared_statements WHERE name LIKE 'fw\\_claim\\_%'");
    expect(rows).toHaveLength(2);
  });
});
