import type Database from "better-sqlite3";
import { InvalidStateError } from "../../errors.js";
import type { EnqueueResult, NewDelivery } from "../storage.js";

interface EnqueueStatements {
  heldKey: Database.Statement;
  insert: Database.Statement;
  identity: Database.Statement;
  takeKey: Database.Statement;
}

// Prepared once per connection: ours, and each caller handle used as an outbox `tx`.
const statements = new WeakMap<Database.Database, EnqueueStatements>();

const mainFile = (db: Database.Database) =>
  (db.pragma("database_list") as Array<{ name: string; file: string }>).find((d) => d.name === "main")?.file ?? "";

function statementsFor(db: Database.Database): EnqueueStatements {
  let s = statements.get(db);
  if (s === undefined) {
    s = {
      heldKey: db.prepare("SELECT delivery_id FROM fw_idempotency_keys WHERE key = ? AND expires_at > ?").pluck(),
      insert: db.prepare(
        `INSERT INTO fw_deliveries (id, config_id, org_id, sandbox_name, request_id, idempotency_key, identities, body,
           status, attempts, created_at, updated_at, available_at, round_started_at, round_attempt_base)
         VALUES (@id, @configId, @orgId, @sandboxName, @requestId, @idempotencyKey, @identities, @body,
           'pending', 0, @now, @now, @now, @now, 0)`,
      ),
      identity: db.prepare(
        "INSERT INTO fw_delivery_identities (identity, delivery_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
      ),
      // An expired key is taken over by the new delivery; the old delivery keeps existing.
      takeKey: db.prepare(
        `INSERT INTO fw_idempotency_keys (key, delivery_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET delivery_id = excluded.delivery_id, expires_at = excluded.expires_at`,
      ),
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
  const run = db.transaction(() =>
    deliveries.map((d): EnqueueResult => {
      const held = s.heldKey.get(d.idempotencyKey, now) as string | undefined;
      if (held !== undefined) return { id: held, created: false };
      s.insert.run({ ...d, identities: JSON.stringify(d.identities), now });
      for (const identity of d.identities) s.identity.run(identity, d.id);
      s.takeKey.run(d.idempotencyKey, d.id, now + windowMs);
      return { id: d.id, created: true };
    }),
  );
  // IMMEDIATE on our own connection takes the write lock up front; inside the caller's open
  // transaction better-sqlite3 nests a savepoint instead.
  return db.inTransaction ? run() : run.immediate();
}
