import { type Command, Option } from "commander";
import type { Storage } from "../storage/storage.js";

/** The storage flags every storage-backed command takes. */
export interface StorageFlags {
  db: string;
  databaseUrl?: string;
  dbSchema?: string;
}

/** The SQLite file used when neither `--db` nor `--database-url` is given. */
export const DEFAULT_DB = "./feedback-webhooks.sqlite";

/**
 * Adds `--db` and `--database-url` (which also reads `FW_DATABASE_URL`, keeping the password
 * out of the shell history and the process list).
 *
 * @example
 * ```ts
 * addStorageOptions(program.command("deliveries list"));
 * ```
 */
export function addStorageOptions(cmd: Command): Command {
  const group = cmd.optionsGroup();
  return cmd
    .optionsGroup("Storage:")
    .option("--db <file>", "SQLite database file", DEFAULT_DB)
    .addOption(
      new Option("--database-url <url>", "PostgreSQL connection string (instead of --db)").env("FW_DATABASE_URL"),
    )
    .option("--db-schema <name>", 'PostgreSQL schema holding the tables (default: "feedback_webhooks")')
    .optionsGroup(group);
}

/**
 * Opens the storage the flags name: PostgreSQL with `--database-url`, the SQLite file otherwise.
 * Each driver is loaded only when used, so the SQLite path never needs `pg` and vice versa.
 *
 * @example
 * ```ts
 * const storage = await openStorage({ db: "./feedback-webhooks.sqlite" });
 * try { … } finally { await storage.close(); }
 * ```
 */
export async function openStorage(flags: StorageFlags): Promise<Storage> {
  if (flags.databaseUrl !== undefined) {
    const { postgresStorage } = await loadDriver("pg", () => import("../storage/postgres/index.js"));
    return postgresStorage({ connectionString: flags.databaseUrl, schema: flags.dbSchema });
  }
  const { sqliteStorage } = await loadDriver("better-sqlite3", () => import("../storage/sqlite/index.js"));
  return sqliteStorage({ filename: flags.db });
}

/**
 * Imports a storage module whose database driver is an optional peer dependency, turning a
 * missing driver into an error that says what to install.
 *
 * @example
 * ```ts
 * const { migrate } = await loadDriver("pg", () => import("../storage/postgres/index.js"));
 * ```
 */
export async function loadDriver<T>(driver: "pg" | "better-sqlite3", load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && String(error).includes(driver)) {
      const other = driver === "pg" ? "or use a SQLite file with --db" : "or use PostgreSQL with --database-url";
      throw new Error(`this storage needs the ${driver} package: npm install ${driver} (${other}).`, { cause: error });
    }
    throw error;
  }
}

/**
 * Opens the storage, runs `use`, and closes the storage whatever happens.
 *
 * @example
 * ```ts
 * await withStorage(flags, (storage) => storage.listConfigs({ limit: 10 }));
 * ```
 */
export async function withStorage<T>(flags: StorageFlags, use: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(flags);
  try {
    return await use(storage);
  } finally {
    await storage.close();
  }
}
