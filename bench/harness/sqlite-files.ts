import { rmSync } from "node:fs";
import { join } from "node:path";

let files = 0;

/** A fresh SQLite file name in `dir` (on disk, so fsync costs what it costs). */
export function sqlitePath(dir: string): string {
  return join(dir, `bench-${process.pid}-${files++}.sqlite`);
}

/** Deletes a SQLite file with its `-wal` and `-shm` companions. */
export function removeSqlite(filename: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(filename + suffix, { force: true });
}

/** Runs `use` with a fresh SQLite file name in `dir`, removed afterwards. */
export async function withSqliteFile<T>(dir: string, use: (filename: string) => Promise<T>): Promise<T> {
  const filename = sqlitePath(dir);
  try {
    return await use(filename);
  } finally {
    removeSqlite(filename);
  }
}
