import type { Command } from "commander";
import { addStorageOptions, loadDriver, type StorageFlags, withStorage } from "./open-storage.js";
import { stdout } from "./output.js";
import { withExamples } from "./with-examples.js";

async function run(flags: StorageFlags): Promise<void> {
  if (flags.databaseUrl === undefined) {
    // Opening a SQLite file creates or migrates its schema.
    await withStorage(flags, async () => {});
    const { SQLITE_SCHEMA_VERSION } = await import("../storage/sqlite/sqlite-migrations.js");
    stdout.line(`SQLite database ${flags.db} is at schema version ${SQLITE_SCHEMA_VERSION}`);
    return;
  }
  const { migrate } = await loadDriver("pg", () => import("../storage/postgres/index.js"));
  const schema = flags.dbSchema ?? "feedback_webhooks";
  const { from, to } = await migrate({ connectionString: flags.databaseUrl, schema: flags.dbSchema });
  stdout.line(
    from === to
      ? `PostgreSQL schema ${schema} is already at version ${to}`
      : `PostgreSQL schema ${schema} migrated from version ${from} to ${to}`,
  );
}

/**
 * Registers `migrate`: creates or upgrades the storage's tables ahead of a deploy, so the
 * application's first start does not migrate under load.
 *
 * @example
 * ```ts
 * registerMigrateCommand(program);
 * ```
 */
export function registerMigrateCommand(program: Command): void {
  const cmd = program
    .command("migrate")
    .description("create or upgrade the storage schema (PostgreSQL with --database-url, or a SQLite file)");
  addStorageOptions(cmd).action(run);
  withExamples(cmd, [
    "feedback-webhooks migrate --database-url postgres://app@db.internal/app",
    "FW_DATABASE_URL=postgres://… feedback-webhooks migrate --db-schema webhooks",
    "feedback-webhooks migrate --db ./feedback-webhooks.sqlite",
  ]);
}
