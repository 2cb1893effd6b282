import { isWebhookError, StorageError } from "../../errors.js";

// `scheme://user:password@` in any text a driver or a network library produced.
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi;

/**
 * Removes passwords from a message: the password part of any URL in it, and every literal
 * occurrence of the known `secrets` (the password of the connection string we were given).
 *
 * @example
 * ```ts
 * redact("connect to postgres://fw:hunter2@db/app failed", []); // "connect to postgres://fw:***@db/app failed"
 * ```
 */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message.replace(URL_CREDENTIALS, "$1***@");
  for (const secret of secrets) if (secret !== "") out = out.split(secret).join("***");
  return out;
}

/**
 * Wraps a driver error in a {@link StorageError} that keeps it as `cause`, with the password
 * redacted from the message. Errors of this library pass through unchanged.
 *
 * @example
 * ```ts
 * try { await pool.query(sql) } catch (e) { throw toPgStorageError("claimDeliveries", e, [password]) }
 * ```
 */
export function toPgStorageError(what: string, error: unknown, secrets: readonly string[]): Error {
  if (isWebhookError(error)) return error;
  const detail = error instanceof Error ? error.message || error.name : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const suffix = typeof code === "string" ? ` (${code})` : "";
  return new StorageError(`PostgreSQL storage: ${what} failed: ${redact(detail, secrets)}${suffix}`, { cause: error });
}
