import pg from "pg";
import { describe, expect, it } from "vitest";
import { ConfigConflictError, ConfigValidationError, InvalidStateError, StorageError } from "../../src/errors.js";
import { migrate, postgresStorage } from "../../src/storage/postgres/index.js";
import { configRecord, newDelivery } from "../contract/describe-storage-contract.js";
import { DATABASE_URL, skipPostgres, trackPostgres, withClient } from "./helpers/postgres.js";

const opts = { idempotencyWindowMs: 86_400_000 };

describe.skipIf(skipPostgres("postgres-storage.test.ts"))("postgresStorage", () => {
  const tracked = trackPostgres();
  const fresh = () => tracked.schema();
  const pool = () => tracked.pool(new pg.Pool({ connectionString: DATABASE_URL, max: 4 }));

  describe("migrations", () => {
    it("lets two pools migrate at once: each step runs exactly once", async () => {
      const schema = fresh();
      const results = await Promise.all([migrate({ pool: pool(), schema }), migrate({ pool: pool(), schema })]);
      expect(results.map((r) => r.to)).toEqual([2, 2]);
      expect(results.map((r) => r.from).sort()).toEqual([0, 2]);
      const versions = await withClient((c) => c.query(`SELECT version FROM "${schema}".schema_version ORDER BY 1`));
      expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
      expect(await migrate({ connectionString: DATABASE_URL!, schema })).toEqual({ from: 2, to: 2 });
    });

    it("refuses a schema written by a newer version, with a clear StorageError", async () => {
      const schema = fresh();
      await migrate({ pool: pool(), schema });
      await withClient((c) => c.query(`INSERT INTO "${schema}".schema_version (version) VALUES (7)`));
      const storage = postgresStorage({ pool: pool(), schema });
      const error = await storage.getDelivery("x").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(/version 7, newer than version 2.*upgrade feedback-webhooks/);
      await storage.close();
    });

    it("validates the schema name and the connection options", () => {
      for (const schema of ['x"; DROP TABLE y; --', "Upper", "1abc", "a".repeat(64), ""]) {
        expect(() => postgresStorage({ connectionString: DATABASE_URL!, schema })).toThrow(ConfigValidationError);
      }
      expect(() => postgresStorage({})).toThrow(ConfigValidationError);
      expect(() => postgresStorage({ pool: pool(), connectionString: DATABASE_URL! })).toThrow(ConfigValidationError);
    });
  });

  it("enforces one configuration per org + sandbox with the unique index, across two connections", async () => {
    const schema = fresh();
    await migrate({ pool: pool(), schema });
    for (let round = 0; round < 5; round++) {
      const a = postgresStorage({ pool: pool(), schema });
      const b = postgresStorage({ pool: pool(), schema });
      const sandboxName = `race-${round}`;
      const records = [configRecord({ sandboxName }), configRecord({ sandboxName })];
      const results = await Promise.allSettled([a.insertConfig(records[0]!), b.insertConfig(records[1]!)]);
      const winner = records[results.findIndex((r) => r.status === "fulfilled")]!;
      const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(ConfigConflictError);
      expect((loser.reason as ConfigConflictError).existingId).toBe(winner.id);
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("never leases one delivery to two storages on separate pools", async () => {
    const schema = fresh();
    const storages = Array.from({ length: 4 }, () => postgresStorage({ pool: pool(), schema }));
    await storages[0]!.enqueueDeliveries(
      Array.from({ length: 400 }, () => newDelivery()),
      opts,
    );
    const claimed: string[] = [];
    await Promise.all(
      storages.map(async (s) => {
        for (let batch = await s.claimDeliveries({ limit: 25, leaseMs: 60_000 }); batch.length > 0; ) {
          claimed.push(...batch.map((d) => d.id));
          batch = await s.claimDeliveries({ limit: 25, leaseMs: 60_000 });
        }
      }),
    );
    expect(claimed).toHaveLength(400);
    expect(new Set(claimed).size).toBe(400);
  });

  it("times leases with the database's clock", async () => {
    const schema = fresh();
    const storage = postgresStorage({ pool: pool(), schema });
    await storage.enqueueDeliveries([newDelivery()], opts);
    const [c] = await storage.claimDeliveries({ limit: 1, leaseMs: 60_000 });
    const dbNow = await withClient(async (client) => (await client.query("SELECT now() AS now")).rows[0].now as Date);
    expect(Math.abs(c!.availableAt.getTime() - 60_000 - dbNow.getTime())).toBeLessThan(1000);
    expect(c!.availableAt.getTime() - c!.updatedAt.getTime()).toBe(60_000);
  });

  describe("transactional outbox", () => {
    it("commits and rolls back with the caller's transaction", async () => {
      const schema = fresh();
      const storage = postgresStorage({ pool: pool(), schema });
      await migrate({ pool: pool(), schema });
      const app = await pool().connect();
      await app.query(`CREATE TABLE "${schema}".orders (id text PRIMARY KEY)`);
      const kept = newDelivery();
      const dropped = newDelivery();
      await app.query("BEGIN");
      await app.query(`INSERT INTO "${schema}".orders VALUES ('o-1')`);
      await storage.enqueueDeliveries([kept], { ...opts, tx: app });
      expect(await storage.getDelivery(kept.id)).toBeUndefined(); // not visible before the caller commits
      await app.query("COMMIT");
      await app.query("BEGIN");
      await app.query(`INSERT INTO "${schema}".orders VALUES ('o-2')`);
      await storage.enqueueDeliveries([dropped], { ...opts, tx: app });
      await app.query("ROLLBACK");
      expect(await storage.getDelivery(kept.id)).toMatchObject({ status: "pending" });
      expect(await storage.getDelivery(dropped.id)).toBeUndefined();
      const orders = await app.query(`SELECT id FROM "${schema}".orders`);
      expect(orders.rows).toEqual([{ id: "o-1" }]);
      app.release();
    });

    it("leaves the caller's transaction usable when the enqueue fails", async () => {
      const schema = fresh();
      const storage = postgresStorage({ pool: pool(), schema });
      const d = newDelivery();
      await storage.enqueueDeliveries([d], opts);
      const app = await pool().connect();
      await app.query("BEGIN");
      // Same id, another key: the primary key refuses it inside our savepoint only.
      const error = await storage
        .enqueueDeliveries([{ ...d, idempotencyKey: "other" }], { ...opts, tx: app })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((await app.query("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
      await app.query("COMMIT");
      app.release();
    });

    it("refuses a client outside a transaction", async () => {
      const storage = postgresStorage({ pool: pool(), schema: fresh() });
      const app = await pool().connect();
      await expect(storage.enqueueDeliveries([newDelivery()], { ...opts, tx: app })).rejects.toBeInstanceOf(
        InvalidStateError,
      );
      await expect(storage.enqueueDeliveries([newDelivery()], { ...opts, tx: "nope" })).rejects.toBeInstanceOf(
        InvalidStateError,
      );
      app.release();
    });
  });

  it("purges a recipient without a trace in any table", async () => {
    const schema = fresh();
    const storage = postgresStorage({ pool: pool(), schema });
    const secret = "erase.me@luma.com";
    const john = newDelivery({
      identities: [secret],
      body: JSON.stringify({ identityMap: { email: [{ id: secret }] } }),
    });
    await storage.enqueueDeliveries([john, newDelivery({ identities: ["jane@luma.com"] })], opts);
    const [c] = await storage.claimDeliveries({ limit: 1, leaseMs: 1000 });
    const attempt = {
      attempt: 1,
      startedAt: new Date(0),
      durationMs: 3,
      statusCode: 500,
      responseBody: `no ${secret}`,
    };
    await storage.settleDelivery(c!.id, c!.claimToken, { attempt, next: { status: "dead", reason: "max_attempts" } });
    expect(await storage.purgeDeliveries({ identity: secret })).toBe(1);
    await withClient(async (client) => {
      const tables = await client.query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [
        schema,
      ]);
      expect(tables.rows.length).toBeGreaterThanOrEqual(7);
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`SELECT t::text AS row FROM "${schema}"."${table_name}" t`);
        expect(JSON.stringify(rows.rows), table_name).not.toContain(secret);
      }
    });
  });

  it("borrows a given pool without ending it; ends a pool it created", async () => {
    const given = pool();
    const borrowed = postgresStorage({ pool: given, schema: fresh() });
    await borrowed.listConfigs({ limit: 1 });
    await borrowed.close();
    expect((await given.query("SELECT 1 AS ok")).rows).toEqual([{ ok: 1 }]);
    const owned = postgresStorage({ connectionString: DATABASE_URL!, schema: fresh() });
    await owned.listConfigs({ limit: 1 });
    await owned.close();
    await owned.close();
    await expect(owned.listConfigs({ limit: 1 })).rejects.toBeInstanceOf(StorageError);
  });

  it("never puts the password in an error message", async () => {
    const url = new URL(DATABASE_URL!);
    url.port = "1"; // nothing listens there
    url.password = "s3cret-Pa55word";
    const storage = postgresStorage({ connectionString: url.toString(), schema: fresh() });
    const error = await storage.listConfigs({ limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain("s3cret-Pa55word");
    await storage.close();
  });
});
