import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { storageCalls } from "../harness/counting-storage.js";
import { CONCURRENCY, drainOnce, rawPostLoop } from "../harness/dispatch.js";
import { hs256Credential, sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import type { ScenarioOutput } from "../harness/results.js";
import { type Contender, interleave } from "../harness/rounds.js";
import { startServer } from "../harness/server.js";
import { ratioOf, summarize } from "../harness/stats.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";
import { withSqliteFile } from "../harness/sqlite-files.js";

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const count = ctx.size(10_000, 1_000);
  const capMs = ctx.size(10_000, 1_500);
  const sink = await startServer("bare", { profileDir: ctx.profileDir });
  const capped = new Map<string, number>();
  try {
    const { senderAuth } = hs256Credential();
    const events = sampleEvents(count);
    const bodies = events.map((e) => JSON.stringify(e));
    const sqlite = (name: string, durability: "full" | "normal"): Contender => ({
      name,
      run: () =>
        withSqliteFile(ctx.tmpDir, async (filename) => {
          const storage = sqliteStorage({ filename, durability });
          const drained = await drainOnce({ storage, origin: sink.origin, events, auth: senderAuth, capMs });
          if (drained.capped) capped.set(name, (capped.get(name) ?? 0) + 1);
          return drained.rate;
        }),
    });
    const contenders: Contender[] = [
      {
        name: "raw undici keep-alive POST loop (the limit)",
        run: () => rawPostLoop(`${sink.origin}/e/0`, bodies, count),
      },
      sqlite("dispatcher, SQLite (durability full, the default), JWT HS256", "full"),
      sqlite("dispatcher, SQLite (durability normal), JWT HS256", "normal"),
    ];
    const diagnostics = await withSqliteFile(ctx.tmpDir, (filename) =>
      storageCalls({
        storage: sqliteStorage({ filename }),
        label: "SQLite, durability full, JWT HS256",
        origin: sink.origin,
        auth: senderAuth,
        count: ctx.size(2_000, 300),
      }),
    );
    const results = await interleave(contenders, {
      rounds: ctx.rounds,
      warmupRounds: ctx.warmupRounds,
      describe: (v) => `${fmt(v)}/s`,
      label: "sqlite",
    });
    const limit = results.get(contenders[0]!.name)!;
    const ratio = ratioOf(results.get(contenders[1]!.name)!, limit);
    return {
      tables: [
        {
          title: `Deliveries per second, ${fmt(count, 0)} events published then drained, ${CONCURRENCY} in flight`,
          headers: ["contender", "deliveries/s", "vs limit", "runs capped"],
          rows: contenders.map((c) => [
            c.name,
            fmtSummary(summarize(results.get(c.name)!)),
            fmtRatio(ratioOf(results.get(c.name)!, limit)),
            String(capped.get(c.name) ?? 0),
          ]),
        },
        diagnostics,
      ],
      targets: [
        {
          id: "4",
          what: "dispatcher (SQLite, JWT HS256) vs raw undici loop",
          target: "≥ 0.4×",
          measured: fmtRatio(ratio),
          met: ratio.median >= 0.4,
        },
      ],
      notes: [
        "Each run uses a fresh SQLite file on disk (ext4, not tmpfs, so `synchronous=FULL` pays its fsyncs). Every " +
          "attempt signs a fresh HS256 JWT (with `body_sha256`), POSTs it, and records the attempt and the outcome in " +
          "SQLite; the clock stops at the last `onDelivered`. Events are published before the clock starts (scenario 6 " +
          `times publishing). A run stops after ${capMs / 1000} s even if deliveries remain ("runs capped").`,
      ],
      raw: Object.fromEntries(results),
    };
  } finally {
    await sink.stop();
  }
}

export const dispatcherSqlite: Scenario = { id: 4, title: "Dispatcher, SQLite + JWT HS256", run };
