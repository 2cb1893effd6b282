import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { isWebhookError } from "../../src/errors.js";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { createManualClock } from "../../src/testing/manual-clock.js";
import { diskFull } from "./helpers/disk-full.js";
import { eventNo } from "./helpers/events.js";
import { type FaultServer, startFaultServer } from "./helpers/fault-server.js";
import { recordFigures } from "./helpers/figures.js";
import { checkNoneLost, createRig, listAll, settleRealTime, until } from "./helpers/harness.js";
import { DATABASE_URL, dropSchema, pgQuery, uniqueSchema } from "./helpers/postgres.js";
import { tempDir } from "./helpers/temp-dir.js";

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("disk full, simulated by a storage that throws", () => {
  it("publish reports the StorageError and stores nothing; the worker reports failed settles and claims through onError, keeps running, and resumes when space is back — nothing lost", async () => {
    server = await startFaultServer();
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const storage = diskFull(memoryStorage({ clock }));
    const rig = await createRig({
      url: server.url,
      storage,
      clock,
      dispatcher: { pollIntervalMs: 10, leaseMs: 60_000 },
    });
    const first = await rig.publish(10);

    storage.full.add("enqueueDeliveries");
    const error = await rig.publish(5, 10).catch((e: unknown) => e);
    expect(isWebhookError(error, "ERR_STORAGE")).toBe(true);
    expect((error as Error).message).toMatch(/disk is full/);
    expect(await listAll(storage)).toHaveLength(10);

    // The endpoint gets deliveries, but no result can be written (nor can over-claimed ones be given back).
    storage.full.clear();
    storage.full.add("settleDelivery");
    storage.full.add("settleDeliveries"); // the worker's grouped settles
    rig.dispatcher.start();
    await until(
      async () => (await listAll(storage, "in_flight")).length === 10,
      10_000,
      "10 deliveries stuck in flight",
    );
    const failedSettles = () => rig.hooks.onError.filter((e) => e.operation === "attempt").length;
    await until(
      () => failedSettles() > 0 && failedSettles() === server!.processed.size,
      5_000,
      "failed settles reported",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failedSettles()).toBe(server.processed.size);
    const unrecorded = await listAll(storage, "in_flight");
    expect(unrecorded.map((d) => d.attempts)).toEqual(Array(10).fill(0));
    const processedWhileFull = server.processed.size;
    expect(processedWhileFull).toBeGreaterThan(0);

    // Not even a claim can be written: the worker reports it and keeps polling.
    storage.full.add("claimDeliveries");
    const refusedBefore = storage.refused.get("claimDeliveries") ?? 0;
    await until(() => (storage.refused.get("claimDeliveries") ?? 0) >= refusedBefore + 3, 5_000, "3 refused claims");
    expect(rig.hooks.onError.some((e) => e.operation === "claim")).toBe(true);
    expect(rig.dispatcher.state).toBe("active");

    // Space is back: the unrecorded attempts' leases run out and they are delivered; new publishes work.
    storage.full.clear();
    clock.advance(60_001);
    const second = await rig.publish(5, 10);
    await until(async () => (await listAll(storage, "delivered")).length === 15, 10_000, "15 delivered");
    await rig.dispatcher.stop();
    const { figures } = await checkNoneLost(storage, [...first, ...second], server.processed);
    // Those whose 200 could not be recorded were sent again: duplicates, never losses.
    expect(figures.duplicated).toBe(processedWhileFull);
    recordFigures({
      scenario: "disk full (storage that throws)",
      ...figures,
      notes: `5 publishes refused with ERR_STORAGE (not counted as sent); ${(storage.refused.get("settleDelivery") ?? 0) + (storage.refused.get("settleDeliveries") ?? 0)} settle calls and ${storage.refused.get("claimDeliveries")} claims refused`,
    });
  });
});

/** Fault injection inside a real database, from a side connection, by triggers. */
interface DatabaseFaults {
  /** Makes the insert of the 38th event's rows fail, halfway through a 50-event enqueue. */
  failEnqueueAt38(): Promise<void>;
  /** Makes every insert into the attempt log fail. */
  failAttemptInserts(): Promise<void>;
  /** Makes every update of a delivery to `delivered` fail. */
  failDeliveredUpdates(): Promise<void>;
  clear(): Promise<void>;
  /** Rows per table. */
  counts(): Promise<Record<string, number>>;
}

function sqliteFaults(file: string): DatabaseFaults & { close(): void } {
  const side = new Database(file);
  const trigger = (name: string, on: string) =>
    side.exec(`CREATE TRIGGER ${name} ${on} BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
  return {
    async failEnqueueAt38() {
      // A row of another table than the delivery itself, inserted after it.
      trigger(
        "fw_test_full_1",
        `BEFORE INSERT ON fw_delivery_identities WHEN NEW.identity = '${eventNo(37).identityMap.email[0]!.id}'`,
      );
    },
    async failAttemptInserts() {
      trigger("fw_test_full_2", "BEFORE INSERT ON fw_attempts");
    },
    async failDeliveredUpdates() {
      trigger("fw_test_full_3", "BEFORE UPDATE ON fw_deliveries WHEN NEW.status = 'delivered'");
    },
    async clear() {
      for (const n of [1, 2, 3]) side.exec(`DROP TRIGGER IF EXISTS fw_test_full_${n}`);
    },
    async counts() {
      const tables = ["fw_deliveries", "fw_delivery_identities", "fw_attempts", "fw_idempotency_keys"];
      return Object.fromEntries(
        tables.map((t) => [t, (side.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]),
      );
    },
    close: () => side.close(),
  };
}

function postgresFaults(schema: string): DatabaseFaults {
  const s = `"${schema}"`;
  const trigger = (name: string, on: string, when: string) =>
    pgQuery(`CREATE TRIGGER ${name} ${on} FOR EACH ROW ${when} EXECUTE FUNCTION ${s}.fw_test_disk_full()`);
  return {
    async failEnqueueAt38() {
      await pgQuery(`CREATE OR REPLACE FUNCTION ${s}.fw_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`);
      await trigger(
        "fw_test_full_1",
        `BEFORE INSERT ON ${s}.deliveries`,
        `WHEN (NEW.request_id = '${eventNo(37).requestId}')`,
      );
    },
    async failAttemptInserts() {
      await trigger("fw_test_full_2", `BEFORE INSERT ON ${s}.attempts`, "");
    },
    async failDeliveredUpdates() {
      await trigger("fw_test_full_3", `BEFORE UPDATE ON ${s}.deliveries`, "WHEN (NEW.status = 'delivered')");
    },
    async clear() {
      for (const [n, table] of [
        [1, "deliveries"],
        [2, "attempts"],
        [3, "deliveries"],
      ] as const) {
        await pgQuery(`DROP TRIGGER IF EXISTS fw_test_full_${n} ON ${s}.${table}`);
      }
    },
    async counts() {
      const tables = ["deliveries", "attempts", "idempotency_keys"];
      const out: Record<string, number> = {};
      for (const t of tables) out[t] = Number((await pgQuery(`SELECT count(*) AS n FROM ${s}.${t}`)).rows[0].n);
      return out;
    },
  };
}

/**
 * A real database refuses writes halfway through: an enqueue at its 38th of 50 events, then the
 * attempt log, then the `delivered` update. Each refused write must leave nothing behind.
 */
async function diskFullInside(storage: Storage, faults: DatabaseFaults, label: string) {
  server = await startFaultServer();
  const rig = await createRig({
    url: server.url,
    storage,
    clock: systemClock,
    dispatcher: { timeoutMs: 300, leaseMs: 1200 },
  });

  await faults.failEnqueueAt38();
  const error = await rig.publish(50).catch((e: unknown) => e);
  expect(isWebhookError(error, "ERR_STORAGE")).toBe(true);
  const counts = await faults.counts();
  expect(counts, "rows left by the refused enqueue").toEqual(
    Object.fromEntries(Object.keys(counts).map((t) => [t, 0])),
  );
  await faults.clear();
  const results = await rig.dispatcher.publishMany(Array.from({ length: 50 }, (_, i) => eventNo(i)));
  // Nothing of the failed enqueue survived, not even an idempotency key that would swallow a retry.
  expect(results.every((r) => r.status === "enqueued" && !r.duplicate)).toBe(true);
  const ids = results.map((r) => (r as { deliveryId: string }).deliveryId);

  for (const fail of [faults.failAttemptInserts, faults.failDeliveredUpdates]) {
    await fail();
    const errorsBefore = rig.hooks.onError.length;
    const started = await rig.dispatcher.runOnce();
    expect(started).toBeGreaterThan(0);
    expect(rig.hooks.onError.length - errorsBefore).toBe(started);
    // Refused as a whole: no delivery marked delivered, no attempt logged, none counted.
    expect(await listAll(storage, "delivered")).toHaveLength(0);
    expect(
      (await listAll(storage)).every((d) => d.attempts === 0 && d.attemptLog.length === 0),
      "half-written settle",
    ).toBe(true);
    await faults.clear();
  }
  // Space is back: the unrecorded attempts' leases run out and everything is delivered.
  await settleRealTime(rig);
  const { figures } = await checkNoneLost(storage, ids, server.processed);
  expect(figures.delivered).toBe(50);
  recordFigures({
    scenario: `disk full inside ${label} (trigger)`,
    ...figures,
    notes:
      "enqueue refused at row 38 of 50: 0 rows left; refused settles left 0 attempts; all redelivered after lease expiry",
  });
  await rig.dispatcher.stop();
}

describe("disk full inside the database, halfway through a write: nothing half-written, the worker resumes", () => {
  it("SQLite (a trigger raises 'database or disk is full')", async () => {
    const dir = tempDir();
    const file = join(dir.path, "webhooks.db");
    const storage = sqliteStorage({ filename: file });
    const faults = sqliteFaults(file);
    try {
      await diskFullInside(storage, faults, "SQLite");
    } finally {
      faults.close();
      await storage.close();
      dir.remove();
    }
  });

  it.skipIf(DATABASE_URL === undefined)("PostgreSQL (a trigger raises SQLSTATE 53100 disk_full)", async () => {
    const schema = uniqueSchema();
    const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
    try {
      await storage.getConfig("x", "y"); // creates the schema
      await diskFullInside(storage, postgresFaults(schema), "PostgreSQL");
    } finally {
      await storage.close();
      await dropSchema(schema);
    }
  });
});
