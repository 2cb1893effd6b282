import { memoryStorage } from "../../src/storage/memory/index.js";
import { CONCURRENCY, type Drained, drainOnce, rawPostLoop } from "../harness/dispatch.js";
import { sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import type { ScenarioOutput } from "../harness/results.js";
import { type Contender, interleave } from "../harness/rounds.js";
import { startServer } from "../harness/server.js";
import { ratioOf, summarize } from "../harness/stats.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";

/** A memory-storage dispatcher (no auth) draining `events` to `origin`, for at most `capMs`. */
export function memoryDrain(origin: string, events: ReturnType<typeof sampleEvents>, capMs: number): Promise<Drained> {
  return drainOnce({ storage: memoryStorage(), origin, events, capMs });
}

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const count = ctx.size(20_000, 1_000);
  const capMs = ctx.size(10_000, 2_000);
  let capped = 0;
  const sink = await startServer("bare", { profileDir: ctx.profileDir });
  try {
    const events = sampleEvents(count);
    const bodies = events.map((e) => JSON.stringify(e));
    const contenders: Contender[] = [
      {
        name: `raw undici keep-alive POST loop (the limit)`,
        run: () => rawPostLoop(`${sink.origin}/e/0`, bodies, count),
      },
      {
        name: "dispatcher, memory storage, no auth",
        run: async () => {
          const drained = await memoryDrain(sink.origin, events, capMs);
          if (drained.capped) capped++;
          return drained.rate;
        },
      },
    ];
    const results = await interleave(contenders, {
      rounds: ctx.rounds,
      warmupRounds: ctx.warmupRounds,
      describe: (v) => `${fmt(v)}/s`,
      label: "memory",
    });
    const [limit, ours] = contenders.map((c) => results.get(c.name)!) as [number[], number[]];
    const ratio = ratioOf(ours, limit);
    const { requests } = await sink.counts();
    return {
      tables: [
        {
          title: `Deliveries per second, ${fmt(count, 0)} events, ${CONCURRENCY} in flight, to a 127.0.0.1 sink`,
          headers: ["contender", "deliveries/s", "vs limit"],
          rows: contenders.map((c) => [
            c.name,
            fmtSummary(summarize(results.get(c.name)!)),
            fmtRatio(ratioOf(results.get(c.name)!, limit)),
          ]),
        },
      ],
      targets: [
        {
          id: "3",
          what: "dispatcher (memory, no auth) vs raw undici loop",
          target: "≥ 0.7×",
          measured: fmtRatio(ratio),
          met: ratio.median >= 0.7,
        },
      ],
      notes: [
        `The sink is a bare node:http server in its own process (reads the body, answers 200); it received ${fmt(requests, 0)} ` +
          "requests in all, every one answered 200. The dispatcher's clock starts at `start()` with every event already " +
          "published (publishing is scenario 6) and stops when the last `onDelivered` hook fired, i.e. when the last " +
          `delivery was recorded as delivered. Both sides use ${CONCURRENCY} requests in flight over a keep-alive pool of ` +
          `${CONCURRENCY} connections (\`concurrency: { global: ${CONCURRENCY}, perEndpoint: ${CONCURRENCY} }\`). ` +
          `A dispatcher run stops after ${capMs / 1000} s even if deliveries remain (the rate is then over that time): ` +
          `${capped} of ${ctx.rounds + ctx.warmupRounds} runs hit that cap.`,
      ],
      raw: Object.fromEntries(results),
    };
  } finally {
    await sink.stop();
  }
}

export const dispatcherMemory: Scenario = { id: 3, title: "Dispatcher, memory storage, no auth", run };
