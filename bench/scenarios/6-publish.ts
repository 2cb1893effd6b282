import { postgresStorage } from "../../src/storage/postgres/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { benchDispatcher, createEndpoints } from "../harness/dispatch.js";
import { sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import { dropSchema, freshSchema } from "../harness/postgres.js";
import type { ScenarioOutput, TargetCheck } from "../harness/results.js";
import { type Contender, interleave } from "../harness/rounds.js";
import { quantile, ratioOf, summarize } from "../harness/stats.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";
import { withSqliteFile } from "../harness/sqlite-files.js";

interface PublishRun {
  /** publishMany of the whole batch: events enqueued per second. */
  manyRate: number;
  /** Single `publish` latencies, ms. */
  p50: number;
  p99: number;
}

const ORIGIN = "http://127.0.0.1:9"; // never contacted: nothing is delivered here

async function measure(
  storage: Storage,
  many: ReturnType<typeof sampleEvents>,
  singles: ReturnType<typeof sampleEvents>,
): Promise<PublishRun> {
  await createEndpoints(storage, ORIGIN, 1);
  const bench = benchDispatcher({ storage });
  try {
    // One small publish first, so the first timed call does not pay for opening or migrating.
    await bench.dispatcher.publish(singles[0]!);
    const t0 = performance.now();
    const results = await bench.dispatcher.publishMany(many);
    const manyRate = (many.length * 1000) / (performance.now() - t0);
    if (results.some((r) => r.status !== "enqueued" || r.duplicate))
      throw new Error("publishMany did not enqueue every event");
    const latencies: number[] = [];
    for (const event of singles.slice(1)) {
      const s = performance.now();
      await bench.dispatcher.publish(event);
      latencies.push(performance.now() - s);
    }
    return { manyRate, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
  } finally {
    await bench.close();
    await storage.close();
  }
}

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const batch = ctx.size(10_000, 3_000);
  const singleCount = ctx.size(500, 100);
  const many = sampleEvents(batch);
  const singles = sampleEvents(singleCount + 1, 1, batch);
  const pg = await ctx.postgres();
  const sqlite = (durability: "full" | "normal"): Contender<PublishRun> => ({
    name: `SQLite, durability ${durability}${durability === "full" ? " (default)" : ""}`,
    run: () =>
      withSqliteFile(ctx.tmpDir, (filename) => measure(sqliteStorage({ filename, durability }), many, singles)),
  });
  const contenders: Contender<PublishRun>[] = [sqlite("full"), sqlite("normal")];
  if (pg) {
    contenders.push({
      name: `PostgreSQL (synchronous_commit ${pg.settings.synchronous_commit}, fsync ${pg.settings.fsync})`,
      async run() {
        const schema = freshSchema("publish");
        try {
          return await measure(postgresStorage({ connectionString: pg.url, schema }), many, singles);
        } finally {
          await dropSchema(pg.url, schema);
        }
      },
    });
  }
  const results = await interleave(contenders, {
    rounds: ctx.rounds,
    warmupRounds: ctx.warmupRounds,
    describe: (v) => `${fmt(v.manyRate)} events/s, publish p50 ${fmt(v.p50, 2)} ms p99 ${fmt(v.p99, 2)} ms`,
    label: "publish",
  });
  const rates = (c: Contender<PublishRun>) => results.get(c.name)!.map((r) => r.manyRate);
  const targets: TargetCheck[] = [];
  const full = summarize(rates(contenders[0]!));
  targets.push({
    id: "6a",
    what: `publishMany(${fmt(batch, 0)}), SQLite, default durability`,
    target: "≥ 30,000 events/s",
    measured: `${fmtSummary(full)}/s`,
    met: full.median >= 30_000,
  });
  const pgContender = contenders[2];
  const pgRate = pgContender ? summarize(rates(pgContender)) : undefined;
  targets.push({
    id: "6b",
    what: `publishMany(${fmt(batch, 0)}), PostgreSQL, default durability`,
    target: "≥ 5,000 events/s",
    measured: pgRate ? `${fmtSummary(pgRate)}/s` : "no PostgreSQL available",
    met: pgRate ? pgRate.median >= 5_000 : undefined,
  });
  return {
    tables: [
      {
        title: `publishMany of ${fmt(batch, 0)} events, and ${singleCount} single publish calls one after the other`,
        headers: ["storage", "publishMany events/s", "vs SQLite full", "publish p50 ms", "publish p99 ms"],
        rows: contenders.map((c) => {
          const runs = results.get(c.name)!;
          return [
            c.name,
            fmtSummary(summarize(rates(c))),
            fmtRatio(ratioOf(rates(c), rates(contenders[0]!))),
            fmtSummary(summarize(runs.map((r) => r.p50)), 2),
            fmtSummary(summarize(runs.map((r) => r.p99)), 2),
          ];
        }),
      },
    ],
    targets,
    notes: [
      "`publishMany` validates every event (strict builder schema), routes it to its configuration, checks the campaign " +
        "switch and enqueues all of them atomically with their idempotency keys; it resolves once committed. Each round " +
        'uses a fresh SQLite file on disk / a fresh PostgreSQL schema. `durability: "normal"` (SQLite, opt-in) skips ' +
        "the fsync per commit: it survives a process crash but may lose the last commits on a power loss or OS crash. " +
        "The single-publish latencies are p50/p99 within a round; the table shows their median (min..max) over rounds.",
    ],
    raw: Object.fromEntries(results),
  };
}

export const publish: Scenario = { id: 6, title: "Publish", run };
