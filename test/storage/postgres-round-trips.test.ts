import { describe, expect, it } from "vitest";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import type { SettleItem } from "../../src/storage/storage.js";
import { configRecord, newDelivery } from "../contract/storage-harness.js";
import { skipPostgres, trackPostgres } from "./helpers/postgres.js";
import { recordingPool } from "./helpers/recording-pool.js";

const opts = { idempotencyWindowMs: 86_400_000 };
const delivered = (c: { id: string; claimToken: string }): SettleItem => ({
  id: c.id,
  claimToken: c.claimToken,
  settlement: {
    attempt: { attempt: 1, startedAt: new Date(), durationMs: 3, statusCode: 204 },
    next: { status: "delivered" },
  },
});

// Each statement a client sends is one round trip to the server and, outside BEGIN, one commit:
// the hot path's cost in the database is counted here, not timed.
describe.skipIf(skipPostgres("postgres-round-trips.test.ts"))("PostgreSQL round trips of the hot path", () => {
  const tracked = trackPostgres();

  async function withClaims(count: number) {
    const schema = tracked.schema();
    const { pool, statements } = recordingPool();
    tracked.pool(pool);
    const storage = postgresStorage({ pool, schema });
    const config = configRecord();
    await storage.insertConfig(config);
    await storage.enqueueDeliveries(
      Array.from({ length: count }, () => newDelivery({ configId: config.id })),
      opts,
    );
    statements.length = 0;
    const claims = await storage.claimDeliveries({ limit: count, leaseMs: 60_000 });
    expect(claims).toHaveLength(count);
    return { storage, statements, claims, claimStatements: statements.splice(0) };
  }

  it("claims in three: BEGIN with the planner settings, the claim, COMMIT", async () => {
    const { claimStatements } = await withClaims(4);
    expect(claimStatements.map((s) => s.text.split(/\s+/, 1)[0])).toEqual(["BEGIN;", "WITH", "COMMIT"]);
    expect(claimStatements[0]!.text).toContain("SET LOCAL enable_sort = off");
  });

  it("settles a batch of distinct claims in one statement, outside any explicit transaction", async () => {
    const { storage, statements, claims } = await withClaims(16);
    expect(await storage.settleDeliveries!(claims.map(delivered))).toEqual(claims.map(() => true));
    expect(statements).toHaveLength(1);
    expect(await storage.deliveryBacklog()).toEqual([]);
  });

  it("settles one claim in one statement", async () => {
    const { storage, statements, claims } = await withClaims(1);
    expect(await storage.settleDelivery(claims[0]!.id, claims[0]!.claimToken, delivered(claims[0]!).settlement)).toBe(
      true,
    );
    expect(statements).toHaveLength(1);
  });

  it("settles a batch naming one claim twice in one transaction, one statement per run of distinct ids", async () => {
    const { storage, statements, claims } = await withClaims(3);
    const [a, b, c] = claims.map(delivered);
    expect(await storage.settleDeliveries!([a!, b!, a!, c!])).toEqual([true, true, false, true]);
    expect(statements.map((s) => s.text.split(/\s+/, 1)[0])).toEqual(["BEGIN", "WITH", "WITH", "COMMIT"]);
  });
});
