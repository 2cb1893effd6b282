import { describe, expect, it } from "vitest";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { configRecord } from "../contract/describe-storage-contract.js";
import { skipPostgres, withClient, trackPostgres } from "./helpers/postgres.js";
import { type RecordedStatement, recordingPool } from "./helpers/recording-pool.js";

const DUE_ROWS = 5_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Subplan Name"?: string;
  "Actual Rows"?: number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * The claim as the storage runs it, explained with ANALYZE (rolled back): the statements that
 * open its transaction (BEGIN with the planner settings), then the claim itself.
 */
async function explainClaim(storage: Storage, statements: RecordedStatement[]) {
  statements.length = 0;
  const claimed = await storage.claimDeliveries({ limit: 32, leaseMs: 60_000 });
  expect(claimed).toHaveLength(32);
  const at = statements.findIndex((s) => s.text.includes("SKIP LOCKED"));
  const begin = statements.findLastIndex((s, i) => i < at && s.text.startsWith("BEGIN"));
  const opening = begin < 0 ? [{ text: "BEGIN", values: [] }] : statements.slice(begin, at);
  const claim = statements[at]!;
  return withClient(async (c) => {
    for (const s of opening) await c.query(s.text, s.values);
    const { rows } = await c.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${claim.text}`,
      claim.values,
    );
    await c.query("ROLLBACK");
    const candidates = nodesOf(rows[0]!["QUERY PLAN"][0]!.Plan).find((n) => n["Subplan Name"] === "CTE candidates");
    return nodesOf(candidates!);
  });
}

// Right after a bulk load, the statistics say "a few due rows" (never analyzed) or mislead the
// planner about the endpoints filter (analyzed): either way the claim must walk `deliveries_due`
// in order and stop after its window, not read and sort every due row.
describe.skipIf(skipPostgres("postgres-claim-plan.test.ts"))("PostgreSQL claim plan", () => {
  const tracked = trackPostgres();

  async function bulkLoaded() {
    const schema = tracked.schema();
    const { pool, statements } = recordingPool();
    tracked.pool(pool);
    const storage = postgresStorage({ pool, schema });
    const config = configRecord();
    await storage.insertConfig(config);
    await withClient((c) =>
      c.query(
        `INSERT INTO "${schema}".deliveries (id, config_id, org_id, sandbox_name, request_id, idempotency_key,
           identities, body, status, created_at, updated_at, available_at, round_started_at)
         SELECT lpad(n::text, 12, '0'), $1, 'myImsOrg', 'prod', 'r', 'k' || n, ARRAY['x@example.com'], '{}',
           'pending', now(), now(), now() - interval '1 second', now()
         FROM generate_series(1, $2) AS n`,
        [config.id, DUE_ROWS],
      ),
    );
    return { schema, storage, statements, pool };
  }

  const expectOrderedWalk = (nodes: PlanNode[]) => {
    const scan = nodes.find((n) => n["Relation Name"] === "deliveries");
    expect(scan).toMatchObject({ "Node Type": "Index Scan", "Index Name": "deliveries_due" });
    expect(scan!["Actual Rows"]).toBeLessThanOrEqual(32);
    expect(nodes.map((n) => n["Node Type"])).not.toContain("Sort");
  };

  it("walks deliveries_due in order on a table never analyzed", async () => {
    const { storage, statements } = await bulkLoaded();
    expectOrderedWalk(await explainClaim(storage, statements));
  });

  // `endpoints` stays unanalyzed, as a small table autovacuum never reaches: its default estimate
  // makes the NOT EXISTS look like it rejects almost every row.
  it("walks deliveries_due in order once the deliveries are analyzed", async () => {
    const { schema, storage, statements } = await bulkLoaded();
    await withClient((c) => c.query(`ANALYZE "${schema}".deliveries`));
    expectOrderedWalk(await explainClaim(storage, statements));
  });

  // The claim runs prepared: once PostgreSQL switches to a generic plan (made without the
  // parameters' values, under the claim transaction's settings), that plan must walk in order too.
  it("walks deliveries_due in order on the prepared claim's generic plan", async () => {
    const { schema, storage, statements, pool } = await bulkLoaded();
    await withClient((c) => c.query(`ANALYZE "${schema}".deliveries`));
    for (let round = 0; round < 6; round++) await storage.claimDeliveries({ limit: 2, leaseMs: 60_000 });
    const claim = statements.findLast((s) => s.text.includes("SKIP LOCKED"))!;
    const client = await pool.connect(); // the pool's only client: the one that prepared the claim
    try {
      const { rows: prepared } = await client.query<{ name: string }>(
        "SELECT name FROM pg_prepared_statements WHERE statement = $1",
        [claim.text],
      );
      expect(prepared).toHaveLength(1);
      await client.query(
        "BEGIN; SET LOCAL enable_sort = off; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_generic_plan",
      );
      // EXECUTE takes no bind parameters: the claim's own values as literals, with a limit of 32.
      const literal = (v: unknown): string =>
        Array.isArray(v) ? `ARRAY[${v.map(literal).join(", ")}]::text[]` : client.escapeLiteral(String(v));
      const args = [32, ...claim.values.slice(1)].map(literal).join(", ");
      const { rows } = await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${prepared[0]!.name}(${args})`,
      );
      await client.query("ROLLBACK");
      const plan = nodesOf(rows[0]!["QUERY PLAN"][0]!.Plan);
      expectOrderedWalk(nodesOf(plan.find((n) => n["Subplan Name"] === "CTE candidates")!));
    } finally {
      client.release();
    }
  });
});
