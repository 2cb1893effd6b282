import PgBoss from "pg-boss";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { type Child, startChild } from "../harness/child.js";
import { storageCalls } from "../harness/counting-storage.js";
import { benchDispatcher, CONCURRENCY, createEndpoints, publishAll, rawPostLoop } from "../harness/dispatch.js";
import { hs256Credential, orgOf, SANDBOX, sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import { type BenchPostgres, committedTransactions, dropSchema, freshSchema } from "../harness/postgres.js";
import { cpuByPid, cpuSince } from "../harness/proc.js";
import type { ScenarioOutput, TargetCheck } from "../harness/results.js";
import { type Contender, interleave } from "../harness/rounds.js";
import { startServer } from "../harness/server.js";
import { ratioOf, summarize } from "../harness/stats.js";
import { type Scenario, type ScenarioContext, SkipScenario } from "../harness/scenario.js";

const WORKERS = 2;

/** One run of several worker processes draining a backlog. */
interface WorkersRun {
  rate: number;
  capped: boolean;
  /** Deliveries made by each worker. */
  perWorker: number[];
  /** CPU µs per delivery: all workers together, and the database server's processes. */
  workerCpuUs: number;
  dbCpuUs: number;
  /** Committed database transactions per delivery. */
  xactPerDelivery: number;
}

type Progress = { type: string; delivered: number; lastAt: number; cpuMs: number };

/** `WORKERS` worker processes of one contender, started once and re-initialized every round. */
function workerGroup(ctx: ScenarioContext, script: string) {
  const children: Child[] = Array.from({ length: WORKERS }, () => startChild(script, { profileDir: ctx.profileDir }));
  const progress = children.map(() => 0);
  for (const [i, c] of children.entries()) {
    c.on("progress", (m) => {
      progress[i] = (m as Progress).delivered;
    });
  }
  return { children, progress, stop: () => Promise.all(children.map((c) => c.stop())) };
}

/** Initializes the group's workers (not timed), says go, and waits for `total` deliveries or `capMs`. */
async function runWorkers(
  pg: BenchPostgres,
  group: ReturnType<typeof workerGroup>,
  init: Record<string, unknown>,
  total: number,
  capMs: number,
  countTransactions: boolean,
): Promise<WorkersRun> {
  const { children, progress } = group;
  await Promise.all(children.map((c) => c.request({ type: "init", ...init }, "ready", 120_000)));
  progress.fill(0);
  const xactBefore = await committedTransactions(pg.url);
  const dbBefore = cpuByPid("postgres");
  const t0 = performance.timeOrigin + performance.now();
  await Promise.all(children.map((c) => c.request({ type: "go" }, "going")));
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const sum = progress.reduce((a, b) => a + b, 0);
      if (sum >= total || performance.timeOrigin + performance.now() - t0 > capMs) {
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
  const now = performance.timeOrigin + performance.now();
  const dbCpuMs = cpuSince("postgres", dbBefore);
  const stops = await Promise.all(children.map((c) => c.request<Progress>({ type: "stop" }, "stopped", 60_000)));
  const delivered = stops.reduce((a, s) => a + s.delivered, 0);
  const capped = delivered < total;
  let xacts = Number.NaN;
  if (countTransactions) {
    await new Promise((r) => setTimeout(r, 1200)); // let PostgreSQL publish its counters
    xacts = (await committedTransactions(pg.url)) - xactBefore;
  }
  const end = capped ? now : Math.max(...stops.map((s) => s.lastAt));
  return {
    rate: (delivered * 1000) / (end - t0),
    capped,
    perWorker: stops.map((s) => s.delivered),
    workerCpuUs: (stops.reduce((a, s) => a + s.cpuMs, 0) * 1000) / Math.max(1, delivered),
    dbCpuUs: (dbCpuMs * 1000) / Math.max(1, delivered),
    xactPerDelivery: xacts / Math.max(1, delivered),
  };
}

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const pg = await ctx.postgres();
  if (!pg) throw new SkipScenario("no PostgreSQL: set FW_BENCH_DATABASE_URL or provide scripts/postgres-cluster.sh");
  return runWith(ctx, pg);
}

async function runWith(ctx: ScenarioContext, pg: BenchPostgres): Promise<ScenarioOutput> {
  const count = ctx.size(10_000, 1_000);
  const capMs = ctx.size(12_000, 2_500);
  const cred = hs256Credential();
  const events = sampleEvents(count);
  const bodies = events.map((e) => JSON.stringify(e));
  const sink = await startServer("bare", { profileDir: ctx.profileDir });
  const bossSchema = freshSchema("pgboss");
  const boss = new PgBoss({ connectionString: pg.url, schema: bossSchema, supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
  let queues = 0;
  const groups: ReturnType<typeof workerGroup>[] = [];
  const group = (script: string) => {
    const g = workerGroup(ctx, script);
    groups.push(g);
    return g;
  };
  try {
    const oursGroup = group("pg-dispatcher-worker.ts");
    const ours: Contender<WorkersRun> = {
      name: `dispatcher ×${WORKERS} processes, PostgreSQL, JWT HS256`,
      async run() {
        const schema = freshSchema("dispatch");
        try {
          const storage = postgresStorage({ connectionString: pg.url, schema });
          await createEndpoints(storage, sink.origin, 1, cred.senderAuth);
          const publisher = benchDispatcher({ storage });
          await publishAll(publisher.dispatcher, events);
          await publisher.close();
          await storage.close();
          return await runWorkers(
            pg,
            oursGroup,
            { url: pg.url, schema, concurrency: CONCURRENCY },
            count,
            capMs,
            !ctx.quick,
          );
        } finally {
          await dropSchema(pg.url, schema);
        }
      },
    };
    const pgBoss = (style: "fetch" | "work"): Contender<WorkersRun> => {
      const bossGroup = group("pgboss-worker.ts");
      const loops = style === "fetch" ? 2 : 1;
      const batchSize = CONCURRENCY / loops;
      return {
        name:
          style === "fetch"
            ? `pg-boss ×${WORKERS}: ${loops} fetch(${batchSize}) → POST → complete loops per process (the baseline)`
            : `pg-boss ×${WORKERS}: work({ batchSize: ${batchSize}, pollingIntervalSeconds: 0.5 })`,
        async run() {
          // A queue per run (pg-boss 10 gives each queue its own partition); the schema is dropped at the end.
          const queue = `bench_${queues++}`;
          await boss.createQueue(queue);
          const sub = `${orgOf(0)}/${SANDBOX.name}`;
          for (let i = 0; i < events.length; i += 1000) {
            await boss.insert(
              events
                .slice(i, i + 1000)
                .map((e, k) => ({ name: queue, data: { body: bodies[i + k]!, requestId: e.requestId, sub } })),
            );
          }
          const options = { queue, url: `${sink.origin}/e/0`, kid: cred.kid, style, loops, batchSize };
          // work() runs at a rate its polling interval sets: a short run measures it as well as a long one.
          const cap = style === "work" ? Math.min(capMs, 5_000) : capMs;
          return runWorkers(
            pg,
            bossGroup,
            { url: pg.url, schema: bossSchema, secret: cred.secret, options },
            count,
            cap,
            !ctx.quick,
          );
        },
      };
    };
    const raw: Contender<WorkersRun> = {
      name: "raw undici keep-alive POST loop, 1 process (the limit)",
      run: async () => ({
        rate: await rawPostLoop(`${sink.origin}/e/0`, bodies, count),
        capped: false,
        perWorker: [count],
        workerCpuUs: Number.NaN,
        dbCpuUs: 0,
        xactPerDelivery: 0,
      }),
    };
    // The idiomatic work() loop is bound by its polling interval, not by the machine: the quick mode skips it.
    const contenders = ctx.quick ? [raw, ours, pgBoss("fetch")] : [raw, ours, pgBoss("fetch"), pgBoss("work")];
    const diagSchema = freshSchema("diagnostic");
    const diagnostics = await storageCalls({
      storage: postgresStorage({ connectionString: pg.url, schema: diagSchema }),
      label: "PostgreSQL, JWT HS256",
      origin: sink.origin,
      auth: cred.senderAuth,
      count: ctx.size(2_000, 300),
    }).finally(() => dropSchema(pg.url, diagSchema));
    const results = await interleave(contenders, {
      rounds: ctx.rounds,
      warmupRounds: ctx.warmupRounds,
      describe: (v) =>
        `${fmt(v.rate)}/s${v.capped ? " (capped)" : ""}, per worker ${v.perWorker.join("/")}, ` +
        `${fmt(v.workerCpuUs)} µs CPU/delivery, ${fmt(v.xactPerDelivery, 2)} DB transactions/delivery`,
      label: "postgres",
    });
    const rates = (c: Contender<WorkersRun>) => results.get(c.name)!.map((r) => r.rate);
    const vsLimit = ratioOf(rates(ours), rates(raw));
    const vsBoss = ratioOf(rates(ours), rates(contenders[2]!));
    const targets: TargetCheck[] = [
      {
        id: "5a",
        what: `dispatcher ×${WORKERS} (PostgreSQL, JWT HS256) vs raw undici loop`,
        target: "≥ 0.25×",
        measured: fmtRatio(vsLimit),
        met: vsLimit.median >= 0.25,
      },
      {
        id: "5b",
        what: `dispatcher ×${WORKERS} vs pg-boss + jose + undici baseline`,
        target: "≥ 2×",
        measured: fmtRatio(vsBoss),
        met: vsBoss.median >= 2,
      },
    ];
    return {
      tables: [
        {
          title: `Deliveries per second, ${fmt(count, 0)} events queued then drained by ${WORKERS} worker processes`,
          headers: [
            "contender",
            "deliveries/s",
            "vs limit",
            "vs pg-boss baseline",
            "per worker/s",
            "worker CPU µs/delivery",
            "DB CPU µs/delivery",
            "DB transactions/delivery",
            "runs capped",
          ],
          rows: contenders.map((c) => {
            const runs = results.get(c.name)!;
            const perWorker = runs.map((r) => r.rate / r.perWorker.length);
            return [
              c.name,
              fmtSummary(summarize(rates(c))),
              fmtRatio(ratioOf(rates(c), rates(raw))),
              c === raw ? "" : fmtRatio(ratioOf(rates(c), rates(contenders[2]!))),
              fmt(summarize(perWorker).median),
              c === raw ? "" : fmtSummary(summarize(runs.map((r) => r.workerCpuUs))),
              c === raw ? "" : fmtSummary(summarize(runs.map((r) => r.dbCpuUs))),
              c === raw ? "" : fmt(summarize(runs.map((r) => r.xactPerDelivery)).median, 2),
              String(runs.filter((r) => r.capped).length),
            ];
          }),
        },
        diagnostics,
      ],
      targets,
      notes: [
        `Every contender delivers the same ${fmt(count, 0)} events to the same bare sink over the same undici client ` +
          `(${CONCURRENCY} requests in flight per process), each request with a fresh HS256 JWT carrying \`body_sha256\`. ` +
          "Ours: each worker process runs `createDispatcher` on `postgresStorage` (claims with `FOR UPDATE SKIP LOCKED`, " +
          "each attempt and outcome recorded). The pg-boss baseline signs with jose (`SignJWT`, a pre-imported key) and " +
          "marks jobs complete after the POST; the `fetch` loop variant never sleeps while there is work (pg-boss's best " +
          "case), the `work()` variant is pg-boss's idiomatic worker, which waits up to its polling interval between " +
          "batches. Worker processes are started and connected before the clock starts. On 2 cores two workers, the " +
          "sink and PostgreSQL share the CPU: the **CPU µs per delivery** columns (worker processes summed; the " +
          "PostgreSQL server processes from /proc) are the cost that would decide scaling on more cores. **DB " +
          "transactions/delivery** counts commits in `pg_stat_database` over the run (every statement outside an explicit " +
          "transaction is one).",
      ],
      raw: Object.fromEntries(results),
    };
  } finally {
    await Promise.all(groups.map((g) => g.stop()));
    await boss.stop({ graceful: false, wait: true, timeout: 5_000 }).catch(() => undefined);
    await dropSchema(pg.url, bossSchema).catch(() => undefined);
    await sink.stop();
  }
}

export const dispatcherPostgres: Scenario = {
  id: 5,
  title: "Dispatcher, PostgreSQL + JWT HS256, two worker processes",
  run,
};
