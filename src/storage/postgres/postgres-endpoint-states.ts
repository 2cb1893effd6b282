import type { EndpointState, EndpointStateMethods } from "../storage.js";
import type { PgConnection } from "./postgres-connection.js";

interface EndpointRow {
  config_id: string;
  consecutive_failures: number;
  failing_since: Date | null;
  paused_until: Date | null;
  suspended_reason: string | null;
  suspended_at: Date | null;
}

function toState(row: EndpointRow): EndpointState {
  const state: EndpointState = { configId: row.config_id, consecutiveFailures: row.consecutive_failures };
  if (row.failing_since !== null) state.failingSince = row.failing_since;
  if (row.paused_until !== null) state.pausedUntil = row.paused_until;
  if (row.suspended_reason !== null) state.suspendedReason = row.suspended_reason;
  if (row.suspended_at !== null) state.suspendedAt = row.suspended_at;
  return state;
}

const ENDPOINT_COLUMNS = "config_id, consecutive_failures, failing_since, paused_until, suspended_reason, suspended_at";

const MS = "::float8 * interval '1 millisecond'";

/**
 * Circuit breaker and suspension state per configuration in PostgreSQL, shared by every
 * dispatcher process. Only states that differ from a fresh one have a row. A failure is one
 * upsert (`ON CONFLICT DO UPDATE` serializes concurrent ones on the row), so none is lost.
 *
 * @example
 * ```ts
 * const endpoints = postgresEndpointStates(connection);
 * await endpoints.suspendEndpoint("c-1", "gone");
 * ```
 */
export function postgresEndpointStates(db: PgConnection): EndpointStateMethods {
  const s = db.schema;
  // Run before every claim round of every dispatcher: prepared, with its columns named (see `CLAIMED_COLUMNS`).
  const list = db.statement("endpoints", () => `SELECT ${ENDPOINT_COLUMNS} FROM ${s}.endpoints ORDER BY config_id`);
  return {
    async getEndpointState(configId) {
      const { rows } = await db.query<EndpointRow>(
        "getEndpointState",
        `SELECT * FROM ${s}.endpoints WHERE config_id = $1`,
        [configId],
      );
      return rows[0] === undefined ? { configId, consecutiveFailures: 0 } : toState(rows[0]);
    },
    async listEndpointStates() {
      const { rows } = await db.query<EndpointRow>("listEndpointStates", list);
      return rows.map(toState);
    },
    recordEndpointSuccess(configId) {
      return db.transaction("recordEndpointSuccess", async (client) => {
        const forgotten = await client.query(
          `DELETE FROM ${s}.endpoints WHERE config_id = $1 AND suspended_reason IS NULL`,
          [configId],
        );
        if (forgotten.rowCount !== 0) return;
        await client.query(
          `UPDATE ${s}.endpoints SET consecutive_failures = 0, failing_since = NULL, paused_until = NULL
           WHERE config_id = $1`,
          [configId],
        );
      });
    },
    async recordEndpointFailure(configId, { pauseAfter, pauseMs }) {
      const { rows } = await db.query<EndpointRow>(
        "recordEndpointFailure",
        `INSERT INTO ${s}.endpoints AS e (config_id, consecutive_failures, failing_since, paused_until)
         VALUES ($1, 1, now(), CASE WHEN 1 >= $2::int THEN now() + $3${MS} END)
         ON CONFLICT (config_id) DO UPDATE SET
           consecutive_failures = e.consecutive_failures + 1,
           failing_since = COALESCE(e.failing_since, now()),
           paused_until = CASE WHEN e.consecutive_failures + 1 >= $2::int THEN now() + $3${MS} ELSE e.paused_until END
         RETURNING *`,
        [configId, pauseAfter, pauseMs],
      );
      return toState(rows[0]!);
    },
    async suspendEndpoint(configId, reason) {
      await db.query(
        "suspendEndpoint",
        `INSERT INTO ${s}.endpoints AS e (config_id, suspended_reason, suspended_at) VALUES ($1, $2, now())
         ON CONFLICT (config_id) DO UPDATE SET suspended_reason = EXCLUDED.suspended_reason,
           suspended_at = EXCLUDED.suspended_at`,
        [configId, reason],
      );
    },
    async resumeEndpoint(configId) {
      await db.query("resumeEndpoint", `DELETE FROM ${s}.endpoints WHERE config_id = $1`, [configId]);
    },
  };
}
