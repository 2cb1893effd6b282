import type { Storage } from "../storage.js";
import { postgresConfigStore } from "./postgres-config-store.js";
import { PgConnection, type PostgresStorageOptions } from "./postgres-connection.js";
import { postgresDeliveryAdmin } from "./postgres-delivery-admin.js";
import { postgresDeliveryQueue } from "./postgres-delivery-queue.js";
import { postgresEndpointStates } from "./postgres-endpoint-states.js";

/** The PostgreSQL storage: the whole storage port over a `pg` pool. */
export interface PostgresStorage extends Storage {
  /** The schema holding the tables (unquoted). */
  readonly schema: string;
}

/**
 * A storage in PostgreSQL (`pg`, an optional peer dependency) for many dispatcher processes on
 * many machines: claims use `FOR UPDATE SKIP LOCKED` and leases timed by the database's
 * `now()`, so workers never deliver the same delivery twice within a lease and take over what a
 * crashed worker held once its lease expires. The schema is created or migrated (under an
 * advisory lock) before the first query; run {@link migrate} in a deployment step to do it
 * up front. Every driver error surfaces as a `StorageError` whose message never contains the
 * password.
 *
 * @example
 * ```ts
 * import { postgresStorage } from "feedback-webhooks/storage/postgres";
 * const storage = postgresStorage({ connectionString: process.env.DATABASE_URL, schema: "webhooks" });
 * const dispatcher = createDispatcher({ storage });
 * ```
 */
export function postgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const db = new PgConnection(options);
  return {
    schema: db.schema.slice(1, -1),
    ...postgresConfigStore(db),
    ...postgresDeliveryQueue(db),
    ...postgresDeliveryAdmin(db),
    ...postgresEndpointStates(db),
    close: () => db.close(),
  };
}

/**
 * Creates or upgrades the schema now, under a transaction-level advisory lock so that processes
 * starting together do not race; returns the schema version before and after. Throws a
 * `StorageError` when the schema was written by a newer version of this package.
 *
 * @example
 * ```ts
 * import { migrate } from "feedback-webhooks/storage/postgres";
 * const { from, to } = await migrate({ connectionString: process.env.DATABASE_URL });
 * console.log(`schema at version ${to} (was ${from})`);
 * ```
 */
export async function migrate(options: PostgresStorageOptions): Promise<{ from: number; to: number }> {
  const db = new PgConnection(options);
  try {
    return await db.migrate();
  } finally {
    await db.close();
  }
}
