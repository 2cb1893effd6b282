import type Database from "better-sqlite3";
import type { Clock } from "../../clock.js";
import type { EndpointState, EndpointStateMethods } from "../storage.js";
import { sqliteCall } from "./sqlite-error.js";

interface EndpointRow {
  config_id: string;
  consecutive_failures: number;
  failing_since: number | null;
  paused_until: number | null;
  suspended_reason: string | null;
  suspended_at: number | null;
}

function toState(row: EndpointRow): EndpointState {
  const state: EndpointState = { configId: row.config_id, consecutiveFailures: row.consecutive_failures };
  if (row.failing_since !== null) state.failingSince = new Date(row.failing_since);
  if (row.paused_until !== null) state.pausedUntil = new Date(row.paused_until);
  if (row.suspended_reason !== null) state.suspendedReason = row.suspended_reason;
  if (row.suspended_at !== null) state.suspendedAt = new Date(row.suspended_at);
  return state;
}

/**
 * Circuit breaker and suspension state per configuration in SQLite. Only states that differ
 * from a fresh one have a row. A failure is one upsert, so concurrent failures all count.
 *
 * @example
 * ```ts
 * const endpoints = sqliteEndpointStates(db, systemClock);
 * await endpoints.recordEndpointFailure("c-1", { pauseAfter: 5, pauseMs: 60_000 });
 * ```
 */
export function sqliteEndpointStates(db: Database.Database, clock: Clock): EndpointStateMethods {
  const q = {
    get: db.prepare("SELECT * FROM fw_endpoints WHERE config_id = ?"),
    list: db.prepare("SELECT * FROM fw_endpoints ORDER BY config_id"),
    forget: db.prepare("DELETE FROM fw_endpoints WHERE config_id = ? AND suspended_reason IS NULL"),
    reset: db.prepare(
      "UPDATE fw_endpoints SET consecutive_failures = 0, failing_since = NULL, paused_until = NULL WHERE config_id = ?",
    ),
    fail: db.prepare(
      `INSERT INTO fw_endpoints (config_id, consecutive_failures, failing_since, paused_until)
       VALUES (@configId, 1, @now, CASE WHEN 1 >= @pauseAfter THEN @now + @pauseMs END)
       ON CONFLICT (config_id) DO UPDATE SET
         consecutive_failures = consecutive_failures + 1,
         failing_since = COALESCE(failing_since, @now),
         paused_until = CASE WHEN consecutive_failures + 1 >= @pauseAfter THEN @now + @pauseMs ELSE paused_until END
       RETURNING *`,
    ),
    suspend: db.prepare(
      `INSERT INTO fw_endpoints (config_id, suspended_reason, suspended_at) VALUES (?, ?, ?)
       ON CONFLICT (config_id) DO UPDATE SET suspended_reason = excluded.suspended_reason,
         suspended_at = excluded.suspended_at`,
    ),
    resume: db.prepare("DELETE FROM fw_endpoints WHERE config_id = ?"),
  };
  const succeed = db.transaction((configId: string) => {
    if (q.forget.run(configId).changes === 0) q.reset.run(configId);
  });

  return {
    async getEndpointState(configId) {
      const row = sqliteCall("getEndpointState", () => q.get.get(configId)) as EndpointRow | undefined;
      return row === undefined ? { configId, consecutiveFailures: 0 } : toState(row);
    },
    async listEndpointStates() {
      return (sqliteCall("listEndpointStates", () => q.list.all()) as EndpointRow[]).map(toState);
    },
    async recordEndpointSuccess(configId) {
      sqliteCall("recordEndpointSuccess", () => succeed.immediate(configId));
    },
    async recordEndpointFailure(configId, { pauseAfter, pauseMs }) {
      const params = { configId, pauseAfter, pauseMs, now: clock.now() };
      return toState(sqliteCall("recordEndpointFailure", () => q.fail.get(params)) as EndpointRow);
    },
    async suspendEndpoint(configId, reason) {
      sqliteCall("suspendEndpoint", () => q.suspend.run(configId, reason, clock.now()));
    },
    async resumeEndpoint(configId) {
      sqliteCall("resumeEndpoint", () => q.resume.run(configId));
    },
  };
}
