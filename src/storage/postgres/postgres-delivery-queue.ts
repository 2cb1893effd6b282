import type { DeliveryQueueMethods } from "../storage.js";
import { claimDeliveries } from "./postgres-claim.js";
import type { PgConnection } from "./postgres-connection.js";
import { enqueueOn } from "./postgres-enqueue.js";
import { settleDeliveries } from "./postgres-settle.js";

const MS = "::float8 * interval '1 millisecond'";

/**
 * The delivery queue in PostgreSQL (see `claimDeliveries` for the claim's trade-offs, and
 * `settleDeliveries` for the set-based settle that both settle methods share).
 *
 * Enqueue is set-based (see `enqueueOn`): a constant number of statements per thousand
 * deliveries. The key's primary key decides a race between two publishers (the second waits
 * for the first to commit, then sees the key held), and an expired key is taken over in the
 * same upsert. The delivery rows are inserted by the same statement — the key's foreign key is
 * DEFERRABLE INITIALLY DEFERRED for that.
 *
 * @example
 * ```ts
 * const queue = postgresDeliveryQueue(connection);
 * await queue.enqueueDeliveries([delivery], { idempotencyWindowMs: 86_400_000, tx: client });
 * ```
 */
export function postgresDeliveryQueue(db: PgConnection): DeliveryQueueMethods {
  const s = db.schema;
  const renew = db.statement(
    "renew",
    () => `UPDATE ${s}.deliveries SET available_at = now() + $3${MS}
           WHERE id = $1 AND status = 'in_flight' AND claim_token = $2`,
  );
  return {
    enqueueDeliveries(deliveries, options) {
      return db.transaction(
        "enqueueDeliveries",
        (client) => enqueueOn(client, s, deliveries, options.idempotencyWindowMs),
        options.tx,
      );
    },

    claimDeliveries(query) {
      return claimDeliveries(db, query);
    },

    async renewLease(id, claimToken, leaseMs) {
      const { rowCount } = await db.query("renewLease", renew, [id, claimToken, leaseMs]);
      return rowCount !== 0;
    },

    async settleDelivery(id, claimToken, settlement) {
      const [settled] = await settleDeliveries(db, [{ id, claimToken, settlement }], "settleDelivery");
      return settled!;
    },

    settleDeliveries(items) {
      return settleDeliveries(db, items);
    },
  };
}
