import Database from "better-sqlite3";
import { type Clock, systemClock } from "../../clock.js";
import { ConfigValidationError } from "../../errors.js";
import type { Storage } from "../storage.js";
import { sqliteCommits } from "./sqlite-commits.js";
import { sqliteConfigStore } from "./sqlite-config-store.js";
import { sqliteDeliveryAdmin } from "./sqlite-delivery-admin.js";
import { sqliteDeliveryQueue } from "./sqlite-delivery-queue.js";
import { sqliteEndpointStates } from "./sqlite-endpoint-states.js";
import { sqliteCall } from "./sqlite-error.js";
import { migrateSqlite } from "./sqlite-migrations.js";

/** Options of {@link sqliteStorage}. */
export interface SqliteStorageOptions {
  /** Path of the database file; created (with its schema) when missing. */
  filename: string;
  /**
   * How hard a commit waits for the disk.
   * - `"full"`: WAL + `synchronous=FULL`. Every acknowledged enqueue and outcome survives a power
   *   loss or an operating-system crash: each commit fsyncs the write-ahead log. For settles (the
   *   dispatcher's hot path) that fsync runs on a libuv thread instead of blocking the event loop,
   *   and their promises resolve once it has returned. Claims and lease renewals get no fsync of
   *   their own (the next settle's covers them): a lease lost in a power loss only makes its
   *   delivery due again, as the lease's expiry would have.
   * - `"normal"`: WAL + `synchronous=NORMAL`. No fsync per commit, several times faster for
   *   small writes (see `npm run bench`); still safe when the *process* crashes, and the file is
   *   never corrupted, but the last commits before a power loss or OS crash can be rolled back —
   *   events the application was told were queued may be lost.
   * @default "full"
   */
  durability?: "full" | "normal";
  /**
   * How long a statement waits for another connection's write lock before failing with a
   * `StorageError` (`busy_timeout`). Note: better-sqlite3 waits synchronously.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * Where lease, retry and retention times come from. SQLite runs inside the process, so its
   * clock is the machine's; every process sharing the file shares it. Inject a manual clock in tests.
   * @default systemClock
   */
  clock?: Clock;
}

/** The SQLite storage: the whole storage port, over one better-sqlite3 connection. */
export interface SqliteStorage extends Storage {
  /** The file this storage writes to. */
  readonly filename: string;
}

function validate(options: SqliteStorageOptions): Required<SqliteStorageOptions> {
  const { filename, durability = "full", busyTimeoutMs = 5000, clock = systemClock } = options;
  const issues = [];
  if (typeof filename !== "string" || filename === "")
    issues.push({ path: "filename", message: "must be a file path" });
  if (durability !== "full" && durability !== "normal") {
    issues.push({ path: "durability", message: 'must be "full" or "normal"' });
  }
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    issues.push({ path: "busyTimeoutMs", message: "must be an integer ≥ 0" });
  }
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid sqliteStorage options" });
  return { filename, durability, busyTimeoutMs, clock };
}

/**
 * A durable storage in one SQLite file (better-sqlite3, an optional peer dependency): the
 * embedded default, with no server to run. Opens the file, switches it to WAL, and creates or
 * migrates the schema before returning; a file written by a newer version of this package is
 * refused with a `StorageError`. Many processes may open the same file; writes are serialized
 * by SQLite's lock (fine for one dispatcher process, use `postgresStorage` to scale out).
 *
 * @example
 * ```ts
 * import { sqliteStorage } from "feedback-webhooks/storage/sqlite";
 * const storage = sqliteStorage({ filename: "webhooks.db" });
 * const registry = createRegistry({ storage });
 * ```
 */
export function sqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const { filename, durability, busyTimeoutMs, clock } = validate(options);
  const db = sqliteCall(`open ${filename}`, () => new Database(filename, { timeout: busyTimeoutMs }));
  try {
    sqliteCall("configure", () => {
      // WAL: readers never block the writer, and a commit is one sequential append.
      db.pragma("journal_mode = WAL");
      db.pragma(`synchronous = ${durability === "full" ? "FULL" : "NORMAL"}`);
      // Attempts, identities and idempotency keys are deleted with their delivery (ON DELETE CASCADE).
      db.pragma("foreign_keys = ON");
      // Deleted rows (pruned or purged recipients' data) are overwritten with zeros, not left in
      // free pages of the file.
      db.pragma("secure_delete = ON");
    });
    migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const admin = sqliteDeliveryAdmin(db, clock);
  const commits = sqliteCommits(db, durability);
  return {
    filename,
    ...sqliteConfigStore(db),
    ...sqliteDeliveryQueue(db, clock, commits),
    ...admin,
    ...sqliteEndpointStates(db, clock),
    async purgeDeliveries(query) {
      const count = await admin.purgeDeliveries(query);
      // The write-ahead log still holds the erased rows' old pages: copy it into the file and
      // truncate it. Best effort — a reader on another connection can keep the log alive until
      // the next checkpoint.
      if (count > 0) sqliteCall("purgeDeliveries", () => db.pragma("wal_checkpoint(TRUNCATE)"));
      return count;
    },
    async close() {
      await commits.close();
      if (db.open) sqliteCall("close", () => db.close());
    },
  };
}
