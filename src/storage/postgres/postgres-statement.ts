import { createHash } from "node:crypto";

/**
 * A statement PostgreSQL prepares once per connection and then only executes: `pg` sends its
 * text with a name the first time a connection runs it, and afterwards only the name and the
 * parameters, so the server skips parsing, analysis and (once it settles on a generic plan)
 * planning. The text must never vary under one name: `pg` refuses a name reused for another text.
 */
export interface PgStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * A named statement of the hot path. The name is `fw_<key>_<schema digest>`: prepared
 * statements live per connection, and one pool can serve storages of several schemas, whose
 * texts differ. A digest, not the schema itself: PostgreSQL cuts names at 63 bytes, so two long
 * schema names could otherwise share a name.
 *
 * @example
 * ```ts
 * const renew = pgStatement(db.schema, "renew", `UPDATE ${db.schema}.deliveries SET ...`);
 * await db.query("renewLease", renew, [id, token, leaseMs]);
 * ```
 */
export function pgStatement(schema: string, key: string, text: string): PgStatement {
  const digest = createHash("sha256").update(schema).digest("hex").slice(0, 16);
  return { name: `fw_${key}_${digest}`, text };
}
