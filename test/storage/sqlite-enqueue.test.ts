import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { StorageError } from "../../src/errors.js";
import { bulkInsert } from "../../src/storage/sqlite/sqlite-bulk-insert.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { NewDelivery } from "../../src/storage/storage.js";
import { DAY_MS, newDelivery } from "../contract/storage-harness.js";
import { tempDir } from "./helpers/temp-dir.js";

const opts = { idempotencyWindowMs: DAY_MS };
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fresh() {
  const dir = tempDir();
  cleanups.push(() => dir.remove());
  const filename = join(dir.path, "webhooks.db");
  const storage = sqliteStorage({ filename });
  cleanups.push(() => storage.close());
  const db = new Database(filename);
  cleanups.push(() => db.close());
  const count = (table: string) => (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;
  return { storage, db, count };
}

const batch = (n: number, extra: (i: number) => Partial<NewDelivery> = () => ({})) =>
  Array.from({ length: n }, (_, i) =>
    newDelivery({ identities: [`p${i}@example.com`, "all@example.com"], ...extra(i) }),
  );

describe("bulkInsert", () => {
  it("runs one statement per 256 rows and one per power of two of the rest", () => {
    const db = new Database(":memory:");
    cleanups.push(() => db.close());
    db.exec("CREATE TABLE t (a INTEGER, b TEXT)");
    const prepare = vi.spyOn(db, "prepare");
    const insert = bulkInsert(db, { head: "INSERT INTO t (a, b) VALUES", row: "(?, ?)", tail: "", width: 2 });
    insert(Array.from({ length: 600 }, (_, i) => [i, `b${i}`]).flat());
    const rowsPerStatement = prepare.mock.calls.map(([sql]) => sql.split("(?, ?)").length - 1);
    expect(rowsPerStatement).toEqual([256, 64, 16, 8]);
    expect(db.prepare("SELECT count(*) AS n, sum(a) AS s FROM t").get()).toEqual({ n: 600, s: (599 * 600) / 2 });
    insert(Array.from({ length: 600 }, (_, i) => [i, `b${i}`]).flat());
    expect(prepare).toHaveBeenCalledTimes(5); // the four statements were kept; only the count query is new
  });
});

describe("SQLite enqueue in multi-row statements", () => {
  it("enqueues 10,000 deliveries in one call, more values than one statement may bind", async () => {
    const { storage, count } = fresh();
    const deliveries = batch(10_000);
    const results = await storage.enqueueDeliveries(deliveries, opts);
    expect(results).toEqual(deliveries.map((d) => ({ id: d.id, created: true })));
    expect([count("fw_deliveries"), count("fw_delivery_identities"), count("fw_idempotency_keys")]).toEqual([
      10_000, 20_000, 10_000,
    ]);
    expect(await storage.getDelivery(deliveries[9_999]!.id)).toMatchObject({ ...deliveries[9_999], status: "pending" });
  });

  it("finds a held key that SQLite cannot give back as the same string (a lone surrogate)", async () => {
    const { storage } = fresh();
    const [held, other] = [newDelivery({ idempotencyKey: "k\ud800" }), newDelivery({ idempotencyKey: "k\udc00" })];
    await storage.enqueueDeliveries([held], opts);
    const again = newDelivery({ idempotencyKey: "k\ud800" });
    expect(await storage.enqueueDeliveries([again, other, newDelivery({ idempotencyKey: "k\udc00" })], opts)).toEqual([
      { id: held.id, created: false },
      { id: other.id, created: true },
      { id: other.id, created: false },
    ]);
  });

  it("outbox: finds held keys through a caller's handle that reads integers as BigInt", async () => {
    const { storage, db } = fresh();
    db.defaultSafeIntegers(true);
    const held = newDelivery({ idempotencyKey: "held" });
    await storage.enqueueDeliveries([held], opts);
    db.exec("BEGIN IMMEDIATE");
    const again = newDelivery({ idempotencyKey: "held" });
    expect(await storage.enqueueDeliveries([again], { ...opts, tx: db })).toEqual([{ id: held.id, created: false }]);
    db.exec("COMMIT");
  });

  it("writes nothing when a statement fails part-way through a batch: all or nothing", async () => {
    const { storage, count } = fresh();
    const deliveries = batch(600);
    // The same id again at the end: the primary key refuses it in the batch's last statement.
    const clash = { ...deliveries[0]!, idempotencyKey: "clash" };
    const error = await storage.enqueueDeliveries([...deliveries, clash], opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect([count("fw_deliveries"), count("fw_delivery_identities"), count("fw_idempotency_keys")]).toEqual([0, 0, 0]);
    const again = await storage.enqueueDeliveries(deliveries, opts);
    expect(again.every((r) => r.created)).toBe(true);
  });

  it("outbox: a batch of several statements rolls back with the caller's transaction, and a failed one leaves it usable", async () => {
    const { storage, db, count } = fresh();
    db.exec("CREATE TABLE orders (id TEXT PRIMARY KEY)");
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO orders (id) VALUES (?)").run("o-1");
    const deliveries = batch(600);
    const failed = await storage
      .enqueueDeliveries([...deliveries, { ...deliveries[0]!, idempotencyKey: "clash" }], { ...opts, tx: db })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StorageError);
    expect(db.inTransaction).toBe(true);
    expect([count("orders"), count("fw_deliveries")]).toEqual([1, 0]);
    await storage.enqueueDeliveries(deliveries, { ...opts, tx: db });
    expect(count("fw_deliveries")).toBe(600);
    db.exec("ROLLBACK");
    expect([count("orders"), count("fw_deliveries"), count("fw_idempotency_keys")]).toEqual([0, 0, 0]);
  });
});
