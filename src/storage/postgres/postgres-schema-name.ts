import { ConfigValidationError } from "../../errors.js";

/**
 * The schema the PostgreSQL storage creates its tables in unless told otherwise.
 *
 * @example
 * ```ts
 * const schema = quoteSchema(options.schema ?? DEFAULT_SCHEMA);
 * ```
 */
export const DEFAULT_SCHEMA = "feedback_webhooks";

// Lower-case identifiers only: they need no case-folding rules, fit the 63-byte limit, and
// cannot carry quotes, so the quoted form below is safe to splice into SQL text.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates a schema name and returns it as a quoted SQL identifier.
 *
 * @throws ConfigValidationError when the name is not a lower-case identifier of at most 63 characters.
 * @example
 * ```ts
 * quoteSchema("webhooks"); // "\"webhooks\""
 * ```
 */
export function quoteSchema(name: string): string {
  if (typeof name !== "string" || !SCHEMA_NAME.test(name)) {
    throw new ConfigValidationError(
      [{ path: "schema", message: "must be 1–63 characters of a–z, 0–9 and _, not starting with a digit" }],
      { what: "Invalid postgresStorage options" },
    );
  }
  return `"${name}"`;
}
