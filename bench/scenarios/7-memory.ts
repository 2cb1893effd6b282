import { bundleWorker, startChild } from "../harness/child.js";
import type { Drained } from "../harness/dispatch.js";
import { hs256Credential } from "../harness/fixtures.js";
import { fmt, fmtMb } from "../harness/format.js";
import type { ScenarioOutput, TargetCheck } from "../harness/results.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";
import { startServer } from "../harness/server.js";
import { quantile } from "../harness/stats.js";
import type { Snapshot } from "../workers/memory-rss.js";

interface MemoryRun {
  startup: Snapshot;
  enqueued: Snapshot[];
  drained: Snapshot[];
  publishPeak: number;
  drainPeak: number;
  drain: Drained;
  publishSeconds: number;
}

const LIMIT = 200e6;

/** Least-squares slope of RSS over deliveries, in bytes per delivery. */
function slope(points: readonly Snapshot[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.count, 0) / n;
  const my = points.reduce((a, p) => a + p.rss, 0) / n;
  const num = points.reduce((a, p) => a + (p.count - mx) * (p.rss - my), 0);
  const den = points.reduce((a, p) => a + (p.count - mx) ** 2, 0);
  return den === 0 ? Number.NaN : num / den;
}

const medianRss = (points: readonly Snapshot[]) =>
  quantile(
    points.map((p) => p.rss),
    0.5,
  );

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const pending = ctx.size(100_000, 5_000);
  const early = pending / 10;
  const capMs = ctx.size(300_000, 20_000);
  const durability = "normal";
  const sink = await startServer("bare", { profileDir: ctx.profileDir });
  const bundled = await bundleWorker("memory-rss.ts");
  const child = startChild("memory-rss.ts", { bundled, nodeFlags: ["--expose-gc"], profileDir: ctx.profileDir });
  try {
    const { senderAuth } = hs256Credential();
    const message = { type: "run", dir: ctx.tmpDir, origin: sink.origin, pending, capMs, durability, auth: senderAuth };
    const r = (await child.request(message, "done", capMs + 600_000)) as unknown as MemoryRun;
    const peak = Math.max(r.publishPeak, r.drainPeak, ...r.enqueued.map((s) => s.rss), ...r.drained.map((s) => s.rss));
    // Windows of samples rather than single points: RSS moves by ±20 MB as malloc and V8 keep or
    // return pages, which would make one point against another a coin toss.
    const earlyWindow = r.drained.filter((s) => s.count >= early && s.count <= early * 1.5);
    const lateWindow = r.drained.filter((s) => s.count >= pending * 0.95);
    const growth = medianRss(lateWindow) / medianRss(earlyWindow) - 1;
    const perTenThousand = slope(r.drained.filter((s) => s.count >= early)) * 10_000;
    const full = r.drain.delivered >= pending;
    const [fewPending, allPending] = r.enqueued as [Snapshot, Snapshot];
    const pct = (x: number) => `${x >= 0 ? "+" : ""}${fmt(x * 100, 1)}%`;
    const targets: TargetCheck[] = [
      {
        id: "7a",
        what: `RSS with ${fmt(pending, 0)} pending deliveries in SQLite, peak while enqueueing and delivering them`,
        target: "< 200 MB",
        measured:
          `${fmtMb(peak)} peak; ${fmtMb(allPending.rss)} idle with ${fmt(pending, 0)} pending vs ` +
          `${fmtMb(fewPending.rss)} with ${fmt(fewPending.count, 0)}`,
        met: ctx.quick ? undefined : peak < LIMIT,
      },
      {
        id: "7b",
        what: `RSS after ${fmt(pending, 0)} deliveries vs after the first ${fmt(early, 0)} (medians of 1% samples)`,
        target: "within +10%",
        measured:
          `${pct(growth)}; slope ${fmt(perTenThousand / 1e6, 2)} MB per 10,000 deliveries` +
          (full ? "" : ` (only ${fmt(r.drain.delivered, 0)} delivered within the cap)`),
        met: ctx.quick || !full ? undefined : growth <= 0.1,
      },
    ];
    const row = (label: string, s: Snapshot) => [
      label,
      fmtMb(s.rss),
      fmtMb(s.rssAnon),
      fmtMb(s.rssFile),
      fmtMb(s.heapUsed),
      fmtMb(s.heapTotal),
      fmtMb(s.external),
    ];
    const at = (count: number) => r.drained.find((s) => s.count >= count);
    const points = [early, pending / 4, pending / 2, (pending * 3) / 4, pending]
      .map((count) => at(count))
      .filter((s): s is Snapshot => s !== undefined);
    return {
      tables: [
        {
          title: `Memory of one dispatcher process: SQLite, ${fmt(pending, 0)} deliveries, JWT HS256 (after a full GC at each point)`,
          headers: [
            "point",
            "RSS",
            "RSS anonymous",
            "RSS file + shared",
            "JS heap used",
            "JS heap committed",
            "external",
          ],
          rows: [
            row("after start-up (modules loaded, storage not open)", r.startup),
            row(`${fmt(fewPending.count, 0)} deliveries pending (enqueueing)`, fewPending),
            row(`${fmt(pending, 0)} deliveries pending (worker not started)`, allPending),
            ...points.map((s) => row(`after ${fmt(s.count, 0)} deliveries`, s)),
            [
              `median over deliveries ${fmt(early, 0)}–${fmt(early * 1.5, 0)}`,
              fmtMb(medianRss(earlyWindow)),
              "",
              "",
              "",
              "",
              "",
            ],
            [
              `median over deliveries ${fmt(pending * 0.95, 0)}–${fmt(pending, 0)}`,
              fmtMb(medianRss(lateWindow)),
              "",
              "",
              "",
              "",
              "",
            ],
            ["peak RSS while enqueueing (sampled after each batch of 1,000)", fmtMb(r.publishPeak), "", "", "", "", ""],
            ["peak RSS while delivering (sampled every 50 ms)", fmtMb(r.drainPeak), "", "", "", "", ""],
          ],
        },
      ],
      targets,
      notes: [
        "A fresh process runs the library bundled by esbuild on plain `node --expose-gc` (no tsx loader, whose " +
          `thread alone adds ~60 MB of RSS), enqueues ${fmt(pending, 0)} deliveries with \`publishMany\` in batches of ` +
          `1,000 (${fmt(r.publishSeconds, 1)} s), then delivers them all to the bare sink at ${fmt(r.drain.rate)}/s, ` +
          'taking RSS after a full GC every 1% of the drain. SQLite runs with `durability: "normal"` here to keep the ' +
          "run short; durability changes fsyncs, not what the process holds in memory. This scenario measures memory, " +
          "not time: one run, read as windows and a slope rather than rounds." +
          (ctx.quick ? " Quick mode scales the counts down 20×, so the targets are not judged." : ""),
      ],
      raw: r,
      rounds: 1,
    };
  } finally {
    await child.stop();
    await sink.stop();
  }
}

export const memory: Scenario = { id: 7, title: "Memory", run };
