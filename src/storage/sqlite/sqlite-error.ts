import { isWebhookError, StorageError } from "../../errors.js";

/**
 * Wraps a driver error in a {@link StorageError} that keeps it as `cause`. Errors of this library
 * (a `ConfigConflictError` thrown inside a transaction, …) pass through unchanged.
 *
 * @example
 * ```ts
 * try { db.exec(sql) } catch (e) { throw toSqliteStorageError("migrate", e) }
 * ```
 */
export function toSqliteStorageError(what: string, error: unknown): Error {
  if (isWebhookError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StorageError(`SQLite storage: ${what} failed: ${detail}`, { cause: error });
}

/**
 * Runs one synchronous driver call and wraps whatever it throws.
 *
 * @example
 * ```ts
 * const row = sqliteCall("getConfig", () => statement.get(id));
 * ```
 */
export function sqliteCall<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toSqliteStorageError(what, error);
  }
}
