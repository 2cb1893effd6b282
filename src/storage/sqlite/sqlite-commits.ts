import { type FileHandle, open } from "node:fs/promises";
import { dirname } from "node:path";
import type Database from "better-sqlite3";
import { StorageError } from "../../errors.js";
import { sqliteCall } from "./sqlite-error.js";

/** How the SQLite storage commits its hot-path transactions (see {@link sqliteCommits}). */
export interface SqliteCommits {
  /**
   * Runs `write` (a better-sqlite3 transaction, called synchronously) and resolves once its
   * commit is on disk as `synchronous=FULL` would have put it there, without blocking the event
   * loop on the fsync. Rejects with a `StorageError` naming `what` when the transaction or the
   * fsync fails; after a failed fsync the commit is visible but may not survive a power loss.
   */
  durable<T>(what: string, write: () => T): Promise<T>;
  /**
   * Runs `write` (a claim or a lease renewal) at `synchronous=NORMAL` and resolves at once,
   * without an fsync of its own: the next durable commit's fsync flushes it with everything
   * before it. A lease that a power loss forgets leaves its delivery due again, which is what
   * the lease's expiry would have done anyway (the worker holding it died with the machine), so
   * no acknowledged outcome or delivery is ever lost.
   */
  lease<T>(what: string, write: () => T): Promise<T>;
  /** Waits for the fsyncs in progress, then releases the write-ahead log's file handle. */
  close(): Promise<void>;
}

/**
 * Opens the `-wal` file for fsyncs (writable: Windows flushes only handles opened for writing)
 * and, as SQLite does on a journal's first fsync, syncs its directory so that the file itself
 * survives a power loss. SQLite deletes the file only when the last connection to the database
 * closes, so it stays the same file while the storage is open. `undefined` when there is no
 * such file yet: SQLite creates it with the first write, so no commit of ours needs an fsync.
 */
async function openWal(file: string): Promise<FileHandle | undefined> {
  let wal: FileHandle;
  try {
    wal = await open(`${file}-wal`, "r+");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (process.platform !== "win32") {
    const dir = await open(dirname(file), "r");
    try {
      await dir.datasync();
    } finally {
      await dir.close();
    }
  }
  return wal;
}

/**
 * Durable commits whose fsync runs off the event loop. Under `synchronous=FULL` in WAL mode a
 * commit appends its frames to the `-wal` file and fsyncs it before returning: with
 * better-sqlite3, the whole process (every socket, every timer) waits for the disk. Here the
 * transaction commits with `synchronous=NORMAL` — the same frames, written the same way, minus
 * that one fsync (SQLite still syncs before every checkpoint) — and the promise resolves after
 * an `fdatasync` of the `-wal` file that started after the commit returned. An fsync flushes
 * every written page of the file, whichever descriptor wrote it, so the commit and every frame
 * before it are then on disk, as a FULL commit would have left them. Concurrent callers share
 * fsyncs: at most one runs and one waits to start (group commit).
 *
 * What differs from a FULL commit: other readers can see the change before it is on disk (a
 * power loss in between rolls it back, as it rolls back a FULL commit whose fsync had not
 * returned), and when the fsync fails the change stays visible although the promise rejects.
 *
 * Commits plainly, synchronously, when there is no fsync to move: durability `"normal"`, a
 * database not in WAL mode, or one in memory.
 *
 * @example
 * ```ts
 * const commits = sqliteCommits(db, "full");
 * const settled = await commits.durable("settleDeliveries", () => settleMany.immediate(items));
 * ```
 */
export function sqliteCommits(db: Database.Database, durability: "full" | "normal"): SqliteCommits {
  const main = (db.pragma("database_list") as Array<{ name: string; file: string }>).find((d) => d.name === "main");
  const file = main?.file ?? "";
  if (durability === "normal" || file === "" || db.pragma("journal_mode", { simple: true }) !== "wal") {
    const plain = async <T>(what: string, write: () => T) => sqliteCall(what, write);
    return { durable: plain, lease: plain, close: async () => undefined };
  }
  // Not prepared once: SQLite applies `PRAGMA synchronous` when it compiles the statement, so a
  // kept statement would not apply it again on its next run. `exec` compiles and runs it without
  // building a statement object as `db.pragma` does (twice per commit on the hot path).
  const toNormal = () => db.exec("PRAGMA synchronous = NORMAL");
  const toFull = () => db.exec("PRAGMA synchronous = FULL");
  let wal: Promise<FileHandle | undefined> | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const start = (): Promise<void> => {
    // Only an open handle is kept: without one, the next fsync tries again.
    if (wal === undefined) {
      const opening = openWal(file);
      wal = opening;
      opening.then(
        (handle) => {
          if (handle === undefined && wal === opening) wal = undefined;
        },
        () => {
          if (wal === opening) wal = undefined;
        },
      );
    }
    const opened = wal;
    const sync: Promise<void> = opened
      .then((handle) => handle?.datasync())
      .finally(() => {
        if (running === sync) running = undefined;
      });
    running = sync;
    return sync;
  };
  // The running fsync may have started before the caller's commit: whoever finds one running
  // waits for the next, which starts when it ends and serves every caller that arrived meanwhile.
  const synced = (): Promise<void> => {
    if (running === undefined) return start();
    next ??= running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };

  const atNormal = <T>(what: string, write: () => T): T =>
    sqliteCall(what, () => {
      toNormal();
      try {
        return write();
      } finally {
        toFull();
      }
    });

  return {
    async lease<T>(what: string, write: () => T): Promise<T> {
      return atNormal(what, write);
    },
    async durable<T>(what: string, write: () => T): Promise<T> {
      const result = atNormal(what, write);
      try {
        await synced();
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new StorageError(`SQLite storage: ${what} committed, but its fsync failed: ${detail}`, { cause: error });
      }
      return result;
    },
    async close() {
      await Promise.allSettled([running, next]);
      const handle = wal;
      wal = undefined;
      const h = await handle?.catch(() => undefined);
      await h?.close();
    },
  };
}
