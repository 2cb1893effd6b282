import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect } from "vitest";
import { toNodeHandler } from "../../../src/adapters/node.js";
import { systemClock } from "../../../src/clock.js";
import { createReceiver } from "../../../src/receiver/index.js";
import { sqliteStorage } from "../../../src/storage/sqlite/index.js";
import { testKeys } from "../../../src/testing/index.js";
import { eventNo } from "./events.js";
import { type Figures, recordFigures } from "./figures.js";
import { createRig, listAll } from "./harness.js";
import { tempDir } from "./temp-dir.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap in use after a full garbage collection, in MiB. */
export function settledHeapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/**
 * Samples heap and RSS every `everyMs`, and the heap after a full GC (what is really live) every
 * `settleEveryMs`, until stopped; returns the peaks in MiB.
 */
export function memorySampler(everyMs = 250, settleEveryMs = 5000) {
  let heap = 0;
  let rss = 0;
  let live = 0;
  const sample = () => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed / 2 ** 20);
    rss = Math.max(rss, m.rss / 2 ** 20);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  const settleTimer = setInterval(() => {
    live = Math.max(live, settledHeapMiB());
  }, settleEveryMs);
  return {
    stop() {
      clearInterval(timer);
      clearInterval(settleTimer);
      sample();
      live = Math.max(live, settledHeapMiB());
      return { heapPeakMiB: Math.round(heap), rssPeakMiB: Math.round(rss), livePeakMiB: Math.round(live) };
    },
  };
}

/** A receiving service on 127.0.0.1: JWT-verifying receiver behind node:http, counting `webhook-id`s its handler saw. */
export async function startCountingReceiver(): Promise<{
  url: string;
  counts: Map<string, number>;
  close(): Promise<void>;
}> {
  const counts = new Map<string, number>();
  const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth }).on("*", (_event, { deliveryId }) => {
    counts.set(deliveryId ?? "", (counts.get(deliveryId ?? "") ?? 0) + 1);
  });
  const server: Server = createServer({ keepAliveTimeout: 30_000 }, toNodeHandler(receiver));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/feedback`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Options of {@link dispatcherToReceiverLoad}. */
export interface LoadOptions {
  events: number;
  /** The dispatcher's concurrency (its defaults: 32 and 4). */
  global?: number;
  perEndpoint?: number;
  /** SQLite durability (see `sqliteStorage`). @default "full" */
  durability?: "full" | "normal";
  /** Bound on the run. */
  timeoutMs: number;
  /** Live heap (after a full GC, sampled every 5 s) allowed above the baseline, in MiB. */
  heapLimitMiB: number;
  label: string;
}

/**
 * Publishes `events` (in batches of 500, while the worker runs) through a dispatcher on a SQLite
 * file, JWT-signed, to a receiver on 127.0.0.1, and checks that the receiver's handler saw every
 * `webhook-id` exactly once, that every delivery took one attempt, and that memory stayed bounded.
 */
export async function dispatcherToReceiverLoad(options: LoadOptions): Promise<Figures> {
  const dir = tempDir();
  const receiver = await startCountingReceiver();
  const storage = sqliteStorage({ filename: join(dir.path, "load.db"), durability: options.durability ?? "full" });
  const sampler = memorySampler();
  const baseline = settledHeapMiB();
  try {
    const rig = await createRig({
      url: receiver.url,
      storage,
      clock: systemClock,
      config: { auth: testKeys.hs256.senderAuth },
      recordHooks: false,
      dispatcher: {
        concurrency: { global: options.global ?? 32, perEndpoint: options.perEndpoint ?? 4 },
        pollIntervalMs: 50,
        timeoutMs: 10_000,
      },
    });
    rig.dispatcher.start();
    const started = Date.now();
    const ids: string[] = [];
    for (let from = 0; from < options.events; from += 500) {
      const batch = Array.from({ length: Math.min(500, options.events - from) }, (_, i) => eventNo(from + i));
      for (const r of await rig.dispatcher.publishMany(batch)) ids.push((r as { deliveryId: string }).deliveryId);
      // Let the worker and the receiver run between batches, as a service publishing per request
      // would (SQLite calls never yield by themselves: see publish-fairness.test.ts).
      await new Promise((resolve) => setImmediate(resolve));
    }
    const publishedMs = Date.now() - started;
    const deadline = started + options.timeoutMs;
    while (receiver.counts.size < options.events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const deliveredMs = Date.now() - started;
    await rig.dispatcher.stop({ timeoutMs: 10_000 });
    const memory = sampler.stop();
    const afterHeap = settledHeapMiB();

    expect(receiver.counts.size, "distinct webhook-ids the receiver handled").toBe(options.events);
    const duplicated = [...receiver.counts.values()].filter((n) => n > 1).length;
    expect(duplicated, "webhook-ids handled more than once").toBe(0);
    const delivered = await listAll(storage, "delivered");
    expect(delivered).toHaveLength(options.events);
    const retried = delivered.filter((d) => d.attempts !== 1);
    const why = retried.slice(0, 3).map((d) => JSON.stringify(d.attemptLog.slice(0, -1)));
    expect(retried.length, `deliveries that needed a retry, e.g. ${why.join(" ")}`).toBe(0);
    expect(new Set(delivered.map((d) => d.id))).toEqual(new Set(ids));
    expect(memory.livePeakMiB - baseline, "live heap growth during the run").toBeLessThan(options.heapLimitMiB);
    const rate = Math.round(options.events / (deliveredMs / 1000));
    const figures: Figures = {
      scenario: options.label,
      sent: options.events,
      delivered: delivered.length,
      dead: 0,
      duplicated,
      lost: options.events - receiver.counts.size,
      notes: `${rate} deliveries/s (published in ${publishedMs} ms, all received in ${deliveredMs} ms); live heap ${Math.round(baseline)} → max ${memory.livePeakMiB} → ${Math.round(afterHeap)} MiB (after GC), heap peak ${memory.heapPeakMiB}, RSS peak ${memory.rssPeakMiB} MiB`,
    };
    recordFigures(figures);
    return figures;
  } finally {
    sampler.stop();
    await storage.close();
    await receiver.close();
    dir.remove();
  }
}
