import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { configRecord, newDelivery } from "../contract/storage-harness.js";
import { DATABASE_URL, skipPostgres, withClient, trackPostgres } from "./helpers/postgres.js";

// A claim returns its times as epoch milliseconds (cheaper to produce and to parse than
// timestamptz text): they must be the very Dates `pg` makes of the timestamptz columns.
describe.skipIf(skipPostgres("postgres-claimed-times.test.ts"))("PostgreSQL claimed delivery times", () => {
  const tracked = trackPostgres();

  it("match the Dates pg parses, sub-millisecond digits cut, before and after 1970", async () => {
    const schema = tracked.schema();
    const pool = tracked.pool(new pg.Pool({ connectionString: DATABASE_URL, max: 1 }));
    const storage = postgresStorage({ pool, schema });
    const config = configRecord();
    await storage.insertConfig(config);
    const [enqueued] = await storage.enqueueDeliveries([newDelivery({ configId: config.id })], {
      idempotencyWindowMs: 86_400_000,
    });
    await withClient((c) =>
      c.query(
        `UPDATE "${schema}".deliveries SET created_at = '2026-01-02 03:04:05.678999+00',
           round_started_at = '1969-12-31 23:59:59.9995+00'`,
      ),
    );
    const [claimed] = await storage.claimDeliveries({ limit: 1, leaseMs: 60_000 });
    expect(claimed!.id).toBe(enqueued!.id);
    const { rows } = await pool.query<Record<string, Date | null>>(
      `SELECT created_at, updated_at, available_at, round_started_at, delivered_at, dead_at
       FROM "${schema}".deliveries WHERE id = $1`,
      [claimed!.id],
    );
    const row = rows[0]!;
    expect(claimed!.createdAt).toEqual(new Date("2026-01-02T03:04:05.678Z"));
    expect(claimed!.roundStartedAt).toEqual(new Date("1969-12-31T23:59:59.999Z"));
    expect([claimed!.createdAt, claimed!.updatedAt, claimed!.availableAt, claimed!.roundStartedAt]).toEqual([
      row.created_at,
      row.updated_at,
      row.available_at,
      row.round_started_at,
    ]);
    expect([claimed!.deliveredAt, claimed!.deadAt]).toEqual([undefined, undefined]);
  });
});
