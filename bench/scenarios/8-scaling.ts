import { postgresStorage } from "../../src/storage/postgres/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { benchDispatcher, CONCURRENCY, createEndpoints, drainOnce, publishAll } from "../harness/dispatch.js";
import { hs256Credential, sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import { dropSchema, freshSchema, withoutCommitWait } from "../harness/postgres.js";
import type { ScenarioOutput, TargetCheck } from "../harness/results.js";
import { type Contender, interleave } from "../harness/rounds.js";
import { startServer } from "../harness/server.js";
import { quantile, ratioOf, summarize } from "../harness/stats.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";
import { removeSqlite, sqlitePath, withSqliteFile } from "../harness/sqlite-files.js";

interface BacklogRun {
  /** Deliveries per second of the drained slice. */
  rate: number;
  /** Median ms of one `claimDeliveries({ limit: 32 })` on the full table. */
  claimMs: number;
}

const CLAIMS = 20;
// Scenario 8 is about how the code's cost grows, so SQLite runs without the fsync per commit (and
// PostgreSQL without waiting for the WAL flush) that would otherwise be most of every claim
// (scenarios 4, 5 and 6 measure the defaults).
const DURABILITY = "normal";

/** Times `CLAIMS` claims of a full batch, giving each batch back untried (the table keeps its size). */
async function claimLatency(storage: Storage): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < CLAIMS; i++) {
    const t0 = performance.now();
    const batch = await storage.claimDeliveries({ limit: CONCURRENCY, leaseMs: 60_000 });
    times.push(performance.now() - t0);
    for (const d of batch)
      await storage.settleDelivery(d.id, d.claimToken, { next: { status: "pending", retryInMs: 0 } });
  }
  return quantile(times, 0.5);
}

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const sink = await startServer("bare", { profileDir: ctx.profileDir });
  try {
    const { senderAuth } = hs256Credential();
    const endpoints = await endpointsGrowth(ctx, sink.origin, senderAuth);
    const backlog = await backlogGrowth(ctx, sink.origin);
    return {
      tables: [endpoints.table, backlog.table],
      targets: [...endpoints.targets, ...backlog.targets],
      notes: [...endpoints.notes, ...backlog.notes],
      raw: { endpoints: endpoints.raw, backlog: backlog.raw },
    };
  } finally {
    await sink.stop();
  }
}

async function endpointsGrowth(
  ctx: ScenarioContext,
  origin: string,
  auth: ReturnType<typeof hs256Credential>["senderAuth"],
) {
  const count = ctx.size(3_000, 600);
  const capMs = ctx.size(5_000, 1_500);
  const counts = [1, 10, 100];
  const contenders: Contender[] = counts.map((n) => {
    const events = sampleEvents(count, n);
    return {
      name: `${n} endpoint${n === 1 ? "" : "s"}`,
      run: () =>
        withSqliteFile(ctx.tmpDir, async (filename) => {
          const storage = sqliteStorage({ filename, durability: DURABILITY });
          const drained = await drainOnce({ storage, origin, events, endpoints: n, auth, capMs });
          return drained.rate;
        }),
    };
  });
  const results = await interleave(contenders, {
    rounds: ctx.rounds,
    warmupRounds: ctx.warmupRounds,
    describe: (v) => `${fmt(v)}/s`,
    label: "endpoints",
  });
  const one = results.get(contenders[0]!.name)!;
  const hundred = ratioOf(results.get(contenders[2]!.name)!, one);
  const targets: TargetCheck[] = [
    {
      id: "8a",
      what: "deliveries/s at 100 endpoints vs 1 endpoint (SQLite normal, JWT HS256)",
      target: "flat (≥ 0.8×)",
      measured: fmtRatio(hundred),
      met: ctx.quick ? undefined : hundred.median >= 0.8,
    },
  ];
  return {
    table: {
      title: `Deliveries per second by number of endpoints: SQLite (durability normal), JWT HS256, ${fmt(count, 0)} events spread round-robin`,
      headers: ["endpoints", "deliveries/s", "vs 1 endpoint"],
      rows: contenders.map((c) => [
        c.name,
        fmtSummary(summarize(results.get(c.name)!)),
        fmtRatio(ratioOf(results.get(c.name)!, one)),
      ]),
    },
    targets,
    notes: [
      'SQLite runs with `durability: "normal"` in this scenario: with the default, the fsync per commit is most of ' +
        "the time of every claim and settle (scenarios 4 and 6) and would hide how the code's own cost grows. " +
        `Every endpoint is its own configuration (org + sandbox) with its own signing key and URL on the same sink; ` +
        `concurrency stays ${CONCURRENCY} overall and ${CONCURRENCY} per endpoint, so only the number of endpoints changes.`,
    ],
    raw: Object.fromEntries(results),
  };
}

/** A storage holding a backlog of pending deliveries, kept at that size across rounds. */
interface Backlog {
  name: string;
  open(): Storage;
}

async function backlogGrowth(ctx: ScenarioContext, origin: string) {
  const slice = ctx.size(1_000, 300);
  const capMs = ctx.size(5_000, 1_500);
  const sizes = [ctx.size(10_000, 2_000), ctx.size(100_000, 20_000)];
  const backlogs: Backlog[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  // Every event ever published here is distinct (idempotency keys): take the next `n` offsets.
  let next = 0;
  const fresh = (n: number) => {
    next += n;
    return sampleEvents(n, 1, next - n);
  };
  const fill = async (open: () => Storage, size: number) => {
    const storage = open();
    await createEndpoints(storage, origin, 1);
    const publisher = benchDispatcher({ storage });
    for (let i = 0; i < size; i += 5_000) await publishAll(publisher.dispatcher, fresh(Math.min(5_000, size - i)));
    await publisher.close();
    await storage.close();
  };
  try {
    for (const size of sizes) {
      const filename = sqlitePath(ctx.tmpDir);
      const open = () => sqliteStorage({ filename, durability: DURABILITY });
      cleanups.push(async () => removeSqlite(filename));
      await fill(open, size);
      backlogs.push({ name: `SQLite, ${fmt(size, 0)} pending`, open });
    }
    const pg = ctx.quick ? undefined : await ctx.postgres();
    if (pg) {
      for (const size of sizes) {
        const schema = freshSchema("backlog");
        const open = () => postgresStorage({ connectionString: withoutCommitWait(pg.url), schema });
        cleanups.push(() => dropSchema(pg.url, schema));
        await fill(open, size);
        backlogs.push({ name: `PostgreSQL (synchronous_commit off), ${fmt(size, 0)} pending`, open });
      }
    }
    const contenders: Contender<BacklogRun>[] = backlogs.map((b) => ({
      name: b.name,
      async run() {
        const storage = b.open();
        const claimMs = await claimLatency(storage);
        const bench = benchDispatcher({ storage });
        let delivered = 0;
        try {
          const drained = await bench.drain(slice, capMs);
          await bench.close();
          delivered = bench.deliveredCount;
          // Top the backlog up again (not timed), so every round sees the same table size.
          await publishAll(bench.dispatcher, fresh(delivered));
          return { rate: drained.rate, claimMs };
        } finally {
          await storage.close();
        }
      },
    }));
    const results = await interleave(contenders, {
      rounds: ctx.rounds,
      warmupRounds: ctx.warmupRounds,
      describe: (v) => `${fmt(v.rate)}/s, claim ${fmt(v.claimMs, 2)} ms`,
      label: "backlog",
    });
    const targets: TargetCheck[] = [];
    for (let i = 0; i + 1 < contenders.length; i += 2) {
      const small = results.get(contenders[i]!.name)!;
      const big = results.get(contenders[i + 1]!.name)!;
      const claim = ratioOf(
        big.map((r) => r.claimMs),
        small.map((r) => r.claimMs),
      );
      const rate = ratioOf(
        big.map((r) => r.rate),
        small.map((r) => r.rate),
      );
      const storageName = contenders[i]!.name.split(",")[0]!;
      targets.push({
        id: `8${String.fromCharCode(98 + i / 2)}`,
        what: `${storageName}: claim time and deliveries/s with ${fmt(sizes[1]!, 0)} vs ${fmt(sizes[0]!, 0)} pending`,
        target: "flat (claim ≤ 1.5×, rate ≥ 0.8×)",
        measured: `claim ${fmtRatio(claim)}, rate ${fmtRatio(rate)}`,
        met: ctx.quick ? undefined : claim.median <= 1.5 && rate.median >= 0.8,
      });
    }
    return {
      table: {
        title: `Backlog size: deliveries per second of a ${fmt(slice, 0)}-delivery slice, and the time of one claim of ${CONCURRENCY}`,
        headers: ["backlog", "deliveries/s", "claim of 32, ms (median of 20)"],
        rows: contenders.map((c) => {
          const runs = results.get(c.name)!;
          return [
            c.name,
            fmtSummary(summarize(runs.map((r) => r.rate))),
            fmtSummary(summarize(runs.map((r) => r.claimMs)), 2),
          ];
        }),
      },
      targets,
      notes: [
        "Each table is filled once (not timed) and topped up after every round, so it keeps its size; PostgreSQL " +
          "sessions run with `synchronous_commit = off` here, like SQLite's `normal`, so the WAL flush does not hide the " +
          "claim's own cost. A round first " +
          `times ${CLAIMS} claims of ${CONCURRENCY} on the full table (each batch given back untried), then drains a ` +
          `${fmt(slice, 0)}-delivery slice with the dispatcher (auth none). "Flat" is read as: claiming at 10× the rows ` +
          "costs at most 1.5× the time, and deliveries/s stay within 20%." +
          (ctx.quick ? " Quick mode: 2k vs 20k rows, SQLite only, not judged." : ""),
      ],
      raw: Object.fromEntries(results),
    };
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}

export const scaling: Scenario = { id: 8, title: "How cost grows", run };
