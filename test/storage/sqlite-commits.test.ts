import { type FileHandle, open } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StorageError } from "../../src/errors.js";
import { sqliteCommits } from "../../src/storage/sqlite/sqlite-commits.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { SettleItem } from "../../src/storage/storage.js";
import { newDelivery } from "../contract/describe-storage-contract.js";
import { tempDir } from "./helpers/temp-dir.js";

const opts = { idempotencyWindowMs: 86_400_000 };
const attempt = { attempt: 1, startedAt: new Date(0), durationMs: 3, statusCode: 200 };
const delivered = (d: { id: string; claimToken: string }): SettleItem => ({
  id: d.id,
  claimToken: d.claimToken,
  settlement: { attempt, next: { status: "delivered" } },
});

let dir: ReturnType<typeof tempDir>;
let file: string;
// Every fsync the storage asks Node for goes through FileHandle#datasync.
let datasync: ReturnType<typeof vi.spyOn>;
let realDatasync: () => Promise<void>;
beforeEach(async () => {
  dir = tempDir();
  file = join(dir.path, "webhooks.db");
  const handle = await open(join(dir.path, "probe"), "w");
  const prototype = Object.getPrototypeOf(handle) as { datasync(): Promise<void> };
  await handle.close();
  realDatasync = prototype.datasync;
  datasync = vi.spyOn(prototype, "datasync");
});
afterEach(() => {
  datasync.mockRestore();
  dir.remove();
});

/**
 * A storage with `count` deliveries claimed, and the fsyncs of that setup forgotten. One more
 * delivery is claimed and settled first, so that the storage has opened (and its directory
 * synced) the `-wal` file: the tests below count the fsyncs of their own commits only.
 */
async function claimed(count: number, durability: "full" | "normal" = "full") {
  const storage = sqliteStorage({ filename: file, durability });
  await storage.enqueueDeliveries(
    Array.from({ length: count + 1 }, () => newDelivery()),
    opts,
  );
  const [first, ...claims] = await storage.claimDeliveries({ limit: count + 1, leaseMs: 60_000 });
  await storage.settleDeliveries!([delivered(first!)]);
  datasync.mockClear();
  return { storage, claims };
}

describe("sqliteStorage, durability full: settles fsync off the event loop; claims and renewals need no fsync", () => {
  it("resolves a settle only after an fsync that started once the settle was committed", async () => {
    const { storage, claims } = await claimed(1);
    const reader = new Database(file, { readonly: true });
    const status = reader.prepare("SELECT status FROM fw_deliveries WHERE id = ?").pluck();
    const events: string[] = [];
    datasync.mockImplementation(async function (this: unknown) {
      events.push(`fsync starts, the row is ${String(status.get(claims[0]!.id))}`);
      await realDatasync.call(this);
      events.push("fsync done");
    });
    await storage.settleDeliveries!([delivered(claims[0]!)]).then(() => events.push("settle resolved"));
    expect(events).toEqual(["fsync starts, the row is delivered", "fsync done", "settle resolved"]);
    reader.close();
    await storage.close();
  });

  it("commits a claim without an fsync of its own; the next settle's fsync covers it", async () => {
    const { storage } = await claimed(0);
    await storage.enqueueDeliveries([newDelivery()], opts);
    const [claim] = await storage.claimDeliveries({ limit: 1, leaseMs: 60_000 });
    expect(claim).toBeDefined();
    expect(datasync).not.toHaveBeenCalled();
    // The claim is visible (committed), at once, to any other connection.
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare("SELECT status FROM fw_deliveries WHERE id = ?").pluck().get(claim!.id)).toBe("in_flight");
    reader.close();
    await storage.settleDeliveries!([delivered(claim!)]);
    expect(datasync).toHaveBeenCalled();
    await storage.close();
  });

  it("syncs the directory once, when it first opens the -wal file, as SQLite does for a new journal", async () => {
    const storage = sqliteStorage({ filename: file });
    await storage.enqueueDeliveries([newDelivery(), newDelivery()], opts);
    const synced: string[] = [];
    datasync.mockImplementation(async function (this: FileHandle) {
      synced.push((await this.stat()).isDirectory() ? "directory" : "file");
      await realDatasync.call(this);
    });
    const [a, b] = await storage.claimDeliveries({ limit: 2, leaseMs: 60_000 });
    await storage.settleDeliveries!([delivered(a!)]);
    await storage.settleDeliveries!([delivered(b!)]);
    expect(synced).toEqual(["directory", "file", "file"]);
    await storage.close();
  });

  it("lets settles committed while an fsync runs share the next one (group commit)", async () => {
    const { storage, claims } = await claimed(8);
    const results = await Promise.all(
      claims.map((c) => storage.settleDelivery(c.id, c.claimToken, delivered(c).settlement)),
    );
    expect(results).toEqual(Array(8).fill(true));
    expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(datasync.mock.calls.length).toBeLessThanOrEqual(2);
    await storage.close();
  });

  it("renews leases without fsyncs: a lease a power loss forgets only makes its delivery due again", async () => {
    const { storage, claims } = await claimed(8);
    const kept = await Promise.all(claims.map((c) => storage.renewLease(c.id, c.claimToken, 60_000)));
    expect(kept).toEqual(Array(8).fill(true));
    expect(datasync).not.toHaveBeenCalled();
    await storage.close();
  });

  it("rejects with a StorageError keeping the cause when the fsync fails, and fsyncs again next time", async () => {
    const { storage, claims } = await claimed(2);
    datasync.mockRejectedValueOnce(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" }));
    const error = await storage.settleDeliveries!([delivered(claims[0]!)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(/settleDeliveries committed, but its fsync failed: EIO/);
    expect(((error as StorageError).cause as { code: string }).code).toBe("EIO");
    expect(await storage.settleDeliveries!([delivered(claims[1]!)])).toEqual([true]);
    expect(datasync).toHaveBeenCalledTimes(2);
    await storage.close();
  });

  it("leaves the fsyncs to SQLite's own settings with durability 'normal'", async () => {
    const { storage, claims } = await claimed(1, "normal");
    expect(await storage.settleDeliveries!([delivered(claims[0]!)])).toEqual([true]);
    expect(datasync).not.toHaveBeenCalled();
    await storage.close();
  });
});

describe("sqliteCommits", () => {
  it("commits at synchronous=NORMAL and puts the connection back to FULL, also when the write throws", async () => {
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    const commits = sqliteCommits(db, "full");
    expect(await commits.durable("probe", () => db.pragma("synchronous", { simple: true }))).toBe(1);
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    // Nothing written yet, so no -wal file: nothing to fsync either.
    expect(datasync).not.toHaveBeenCalled();
    const error = await commits
      .durable("broken", () => db.exec("INSERT INTO no_such_table VALUES (1)"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/SQLite storage: broken failed: no such table/);
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    await commits.close();
    db.close();
  });

  it("switches the synchronous level without building a statement object per commit", async () => {
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    const commits = sqliteCommits(db, "full");
    const insert = db.exec("CREATE TABLE t (x)").prepare("INSERT INTO t VALUES (1)");
    // `db.pragma` and `db.prepare` each build one; `db.exec` runs the PRAGMA without one.
    const pragma = vi.spyOn(db, "pragma");
    const prepare = vi.spyOn(db, "prepare");
    await commits.durable("insert", () => insert.run());
    await commits.durable("insert", () => insert.run());
    expect(pragma).not.toHaveBeenCalled();
    expect(prepare).not.toHaveBeenCalled();
    pragma.mockRestore();
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    await commits.close();
    db.close();
  });

  it("commits plainly where no fsync can be moved: an in-memory database", async () => {
    const db = new Database(":memory:");
    db.pragma("synchronous = FULL");
    const commits = sqliteCommits(db, "full");
    expect(await commits.durable("probe", () => db.pragma("synchronous", { simple: true }))).toBe(2);
    expect(datasync).not.toHaveBeenCalled();
    await commits.close();
    db.close();
  });
});
