import type Database from "better-sqlite3";
import { InvalidStateError } from "../../errors.js";
import type { EnqueueResult, NewDelivery } from "../storage.js";
import { bulkInsert } from "./sqlite-bulk-insert.js";

interface EnqueueStatements {
  /** `[index, deliveryId]` of the keys, in a JSON array of keys, still held at `now`. */
  heldKeys: Database.Statement;
  deliveries: (values: readonly unknown[]) => void;
  identities: (values: readonly unknown[]) => void;
  keys: (values: readonly unknown[]) => void;
}

// Prepared once per connection: ours, and each caller handle used as an outbox `tx`.
const statements = new WeakMap<Database.Database, EnqueueStatements>();

const mainFile = (db: Database.Database) =>
  (db.pragma("database_list") as Array<{ name: string; file: string }>).find((d) => d.name === "main")?.file ?? "";

function statementsFor(db: Database.Database): EnqueueStatements {
  let s = statements.get(db);
  if (s === undefined) {
    s = {
      // Answers by position in the array, not by key: a key that is not well-formed UTF-16 (a
      // lone surrogate) does not read back from SQLite as the string it was written from.
      heldKeys: db
        .prepare(
          `SELECT j.key, k.delivery_id FROM json_each(?) AS j
           JOIN fw_idempotency_keys AS k ON k.key = j.value WHERE k.expires_at > ?`,
        )
        .raw(),
      // The ninth value of a row is `now`, used for all four timestamps.
      deliveries: bulkInsert(db, {
        head: `INSERT INTO fw_deliveries (id, config_id, org_id, sandbox_name, request_id, idempotency_key, identities,
                 body, status, attempts, created_at, updated_at, available_at, round_started_at, round_attempt_base)
               SELECT column1, column2, column3, column4, column5, column6, column7, column8,
                 'pending', 0, column9, column9, column9, column9, 0 FROM (VALUES`,
        row: "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tail: ")",
        width: 9,
      }),
      identities: bulkInsert(db, {
        head: "INSERT INTO fw_delivery_identities (identity, delivery_id) VALUES",
        row: "(?, ?)",
        tail: "ON CONFLICT DO NOTHING",
        width: 2,
      }),
      // An expired key is taken over by the new delivery; the old delivery keeps existing.
      keys: bulkInsert(db, {
        head: "INSERT INTO fw_idempotency_keys (key, delivery_id, expires_at) VALUES",
        row: "(?, ?, ?)",
        tail: "ON CONFLICT (key) DO UPDATE SET delivery_id = excluded.delivery_id, expires_at = excluded.expires_at",
        width: 3,
      }),
    };
    statements.set(db, s);
  }
  return s;
}

/**
 * The connection an enqueue writes through: ours, or — for the transactional outbox — the
 * caller's own better-sqlite3 handle, which must be open on the same file and inside a
 * transaction (otherwise the rows would not commit or roll back with the caller's data).
 *
 * @example
 * ```ts
 * const handle = outboxHandle(db, options.tx);
 * ```
 */
export function outboxHandle(own: Database.Database, tx: unknown): Database.Database {
  if (tx === undefined) return own;
  const handle = tx as Database.Database;
  if (typeof handle?.prepare !== "function" || typeof handle.inTransaction !== "boolean") {
    throw new InvalidStateError("options.tx must be a better-sqlite3 Database handle inside a transaction.");
  }
  if (!handle.inTransaction) {
    throw new InvalidStateError(
      "options.tx must be inside a transaction: call publish from db.transaction(…) or after BEGIN.",
    );
  }
  if (mainFile(handle) !== mainFile(own)) {
    throw new InvalidStateError("options.tx must be a handle on the storage's own database file.");
  }
  return handle;
}

/**
 * Inserts deliveries as `pending`, due `now`, honouring idempotency keys that expire after
 * `windowMs`, in one transaction on `db` (a savepoint when `db` is already in one).
 *
 * @example
 * ```ts
 * const results = enqueueOn(db, [delivery], 86_400_000, Date.now());
 * ```
 */
export function enqueueOn(
  db: Database.Database,
  deliveries: readonly NewDelivery[],
  windowMs: number,
  now: number,
): EnqueueResult[] {
  const s = statementsFor(db);
  const run = db.transaction(() => {
    const keys = deliveries.map((d) => d.idempotencyKey);
    // Key → the delivery holding it: held in the database, or taken earlier in this batch (a
    // duplicate inside one batch returns the first one's id, as if enqueued one by one; with a
    // window of 0 a key expires as it is taken, so the duplicate is created too).
    const holders = new Map<string, string>();
    for (const [i, id] of s.heldKeys.all(JSON.stringify(keys), now) as Array<[number, string]>)
      holders.set(keys[i]!, id);
    const expiresAt = now + windowMs;
    const rows: unknown[] = [];
    const identities: unknown[] = [];
    const taken: unknown[] = [];
    const results = deliveries.map((d): EnqueueResult => {
      const held = holders.get(d.idempotencyKey);
      if (held !== undefined) return { id: held, created: false };
      if (expiresAt > now) holders.set(d.idempotencyKey, d.id);
      const identitiesJson = JSON.stringify(d.identities);
      rows.push(d.id, d.configId, d.orgId, d.sandboxName, d.requestId, d.idempotencyKey, identitiesJson, d.body, now);
      for (const identity of d.identities) identities.push(identity, d.id);
      taken.push(d.idempotencyKey, d.id, expiresAt);
      return { id: d.id, created: true };
    });
    // Deliveries first: identities and keys reference them.
    s.deliveries(rows);
    s.identities(identities);
    s.keys(taken);
    return results;
  });
  // IMMEDIATE on our own connection takes the write lock up front; inside the caller's open
  // transaction better-sqlite3 nests a savepoint instead.
  return db.inTransaction ? run() : run.immediate();
}
