import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigConflictError, ConfigValidationError, InvalidStateError, StorageError } from "../../src/errors.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { createManualClock } from "../../src/testing/manual-clock.js";
import { configRecord, newDelivery } from "../contract/describe-storage-contract.js";
import { tempDir } from "./helpers/temp-dir.js";

const opts = { idempotencyWindowMs: 86_400_000 };
let dir: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  dir = tempDir();
  file = join(dir.path, "webhooks.db");
});
afterEach(() => dir.remove());

describe("sqliteStorage: opening and migrating", () => {
  it("creates the schema in WAL mode and records every version once", async () => {
    await (await sqliteStorage({ filename: file })).close();
    await sqliteStorage({ filename: file }).close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    const versions = raw.prepare("SELECT version FROM fw_schema_version ORDER BY version").pluck().all();
    expect(versions).toEqual([1, 2]);
    raw.close();
  });

  it("refuses a database written by a newer version, with a clear StorageError", async () => {
    await sqliteStorage({ filename: file }).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO fw_schema_version (version, applied_at) VALUES (99, 0)").run();
    raw.close();
    const error = (() => {
      try {
        sqliteStorage({ filename: file });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/schema version 99, newer than version 2.*upgrade feedback-webhooks/);
  });

  it("validates its options once, listing every problem", () => {
    const error = (() => {
      try {
        sqliteStorage({ filename: "", durability: "fast" as "full", busyTimeoutMs: -1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).issues.map((i) => i.path)).toEqual([
      "filename",
      "durability",
      "busyTimeoutMs",
    ]);
  });

  it("wraps driver errors in StorageError with the cause (missing directory, closed storage)", async () => {
    expect(() => sqliteStorage({ filename: join(dir.path, "no", "such", "dir.db") })).toThrow(StorageError);
    const storage = sqliteStorage({ filename: file });
    await storage.close();
    await storage.close();
    const error = await storage.getDelivery("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).cause).toBeInstanceOf(Error);
  });

  it("accepts durability 'normal' as an explicit opt-in", async () => {
    const storage = sqliteStorage({ filename: file, durability: "normal" });
    await storage.enqueueDeliveries([newDelivery()], opts);
    expect(await storage.listDeliveries({ limit: 10 })).toHaveLength(1);
    await storage.close();
  });
});

describe("sqliteStorage: two connections on one file", () => {
  it("enforces one configuration per org + sandbox across connections, naming the winner", async () => {
    const a = sqliteStorage({ filename: file });
    const b = sqliteStorage({ filename: file });
    const results = await Promise.allSettled([a.insertConfig(configRecord()), b.insertConfig(configRecord())]);
    const winner = (await a.getConfig("myImsOrg", "prod"))!.id;
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConfigConflictError);
    expect((loser.reason as ConfigConflictError).existingId).toBe(winner);
    await a.close();
    await b.close();
  });

  it("never leases one delivery to both", async () => {
    const a = sqliteStorage({ filename: file });
    const b = sqliteStorage({ filename: file });
    await a.enqueueDeliveries(
      Array.from({ length: 100 }, () => newDelivery()),
      opts,
    );
    const batches = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claimDeliveries({ limit: 20, leaseMs: 60_000 })),
    );
    const ids = batches.flat().map((d) => d.id);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    await a.close();
    await b.close();
  });
});

describe("sqliteStorage: transactional outbox", () => {
  it("commits and rolls back with the caller's own transaction on the same file", async () => {
    const storage = sqliteStorage({ filename: file });
    const app = new Database(file);
    app.exec("CREATE TABLE orders (id TEXT PRIMARY KEY)");
    const committed = newDelivery();
    const rolledBack = newDelivery();
    // better-sqlite3 transactions are synchronous: the insert happens before enqueue's promise settles.
    let pending: Promise<unknown> = Promise.resolve();
    app.transaction(() => {
      app.prepare("INSERT INTO orders VALUES ('o-1')").run();
      pending = storage.enqueueDeliveries([committed], { ...opts, tx: app });
    })();
    await pending;
    expect(() =>
      app.transaction(() => {
        app.prepare("INSERT INTO orders VALUES ('o-2')").run();
        pending = storage.enqueueDeliveries([rolledBack], { ...opts, tx: app });
        throw new Error("the application changes its mind");
      })(),
    ).toThrow("changes its mind");
    await pending;
    expect(await storage.getDelivery(committed.id)).toMatchObject({ status: "pending" });
    expect(await storage.getDelivery(rolledBack.id)).toBeUndefined();
    expect(app.prepare("SELECT id FROM orders").pluck().all()).toEqual(["o-1"]);
    app.close();
    await storage.close();
  });

  it("works across an await between BEGIN and COMMIT", async () => {
    const storage = sqliteStorage({ filename: file });
    const app = new Database(file);
    const d = newDelivery();
    app.exec("BEGIN IMMEDIATE");
    await storage.enqueueDeliveries([d], { ...opts, tx: app });
    app.exec("COMMIT");
    expect(await storage.getDelivery(d.id)).toBeDefined();
    app.close();
    await storage.close();
  });

  it("refuses a handle outside a transaction or on another file", async () => {
    const storage = sqliteStorage({ filename: file });
    const app = new Database(file);
    const other = new Database(join(dir.path, "other.db"));
    await expect(storage.enqueueDeliveries([newDelivery()], { ...opts, tx: app })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    other.exec("BEGIN");
    await expect(storage.enqueueDeliveries([newDelivery()], { ...opts, tx: other })).rejects.toThrow(
      /same|own database/,
    );
    await expect(storage.enqueueDeliveries([newDelivery()], { ...opts, tx: {} })).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    other.close();
    app.close();
    await storage.close();
  });
});

describe("sqliteStorage: retention and erasure", () => {
  it("prunes 1,200 delivered deliveries in batches of 500, with their attempts", async () => {
    const clock = createManualClock();
    // "normal": 1,200 fsynced settle commits would only slow the test down.
    const storage = sqliteStorage({ filename: file, clock, durability: "normal" });
    const ds = Array.from({ length: 1200 }, () => newDelivery());
    await storage.enqueueDeliveries(ds, opts);
    for (const c of await storage.claimDeliveries({ limit: 2000, leaseMs: 1000 })) {
      const attempt = { attempt: 1, startedAt: new Date(clock.now()), durationMs: 3, statusCode: 200 };
      await storage.settleDelivery(c.id, c.claimToken, { attempt, next: { status: "delivered" } });
    }
    clock.advance(31 * 86_400_000);
    const query = { deliveredOlderThanMs: 30 * 86_400_000, deadOlderThanMs: 90 * 86_400_000, limit: 500 };
    const counts: number[] = [];
    do counts.push(await storage.pruneDeliveries(query));
    while (counts.at(-1) !== 0);
    expect(counts).toEqual([500, 500, 200, 0]);
    await storage.close();
    const raw = new Database(file, { readonly: true });
    for (const table of ["fw_deliveries", "fw_attempts", "fw_delivery_identities", "fw_idempotency_keys"]) {
      expect(raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    raw.close();
  });

  it("purges a recipient without a trace in any table, nor in the file's bytes", async () => {
    const clock = createManualClock();
    const storage = sqliteStorage({ filename: file, clock });
    const secret = "erase.me@luma.com";
    const john = newDelivery({
      identities: [secret],
      body: JSON.stringify({ identityMap: { email: [{ id: secret }] } }),
    });
    const jane = newDelivery({ identities: ["jane@luma.com"] });
    await storage.enqueueDeliveries([john, jane], opts);
    const [c] = await storage.claimDeliveries({ limit: 1, leaseMs: 1000, excludeConfigIds: [] });
    const attempt = {
      attempt: 1,
      startedAt: new Date(0),
      durationMs: 3,
      statusCode: 500,
      responseBody: `no ${secret}`,
    };
    await storage.settleDelivery(c!.id, c!.claimToken, { attempt, next: { status: "pending", retryInMs: 0 } });
    expect(await storage.purgeDeliveries({ identity: secret })).toBe(1);
    await storage.close();
    const raw = new Database(file, { readonly: true });
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const table of tables) {
      expect(JSON.stringify(raw.prepare(`SELECT * FROM ${table}`).all()), table).not.toContain(secret);
    }
    raw.close();
    for (const name of ["webhooks.db", "webhooks.db-wal"]) {
      const bytes = (() => {
        try {
          return readFileSync(join(dir.path, name));
        } catch {
          return Buffer.alloc(0);
        }
      })();
      expect(bytes.includes(secret), name).toBe(false);
    }
  });
});
