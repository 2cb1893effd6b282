/**
 * Scenario 7 in a fresh process (run with --expose-gc): enqueue `pending` deliveries in SQLite,
 * then deliver them all, recording RSS and heap after a full GC at fixed points (two while
 * enqueueing, every 1% of the drain) and the peak RSS. Events are generated batch by batch, so
 * the bench holds none of them. The bench runs it bundled on plain `node` (no tsx loader), as a
 * user's compiled code would run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuthInput } from "../../src/config/auth-config-schema.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { benchDispatcher, createEndpoints, publishAll } from "../harness/dispatch.js";
import { sampleEvents } from "../harness/fixtures.js";
import { handle, onExit } from "./ipc.js";

const gc = (globalThis as { gc?: () => void }).gc;

/** Memory after a full GC. */
export interface Snapshot {
  /** Deliveries pending (while enqueueing) or delivered (while draining) at this point. */
  count: number;
  rss: number;
  /** Anonymous memory: the JS heap, malloc (SQLite's page cache, native buffers). */
  rssAnon: number;
  /** File-backed and shared pages: code, mapped files. */
  rssFile: number;
  heapUsed: number;
  /** What V8 has committed for its heap (part of the anonymous RSS). */
  heapTotal: number;
  external: number;
}

/** A field of /proc/self/status in bytes (Linux), NaN elsewhere. */
function status(field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function snapshot(count: number): Snapshot {
  gc?.();
  const m = process.memoryUsage();
  return {
    count,
    rss: m.rss,
    rssAnon: status("RssAnon"),
    rssFile: status("RssFile") + status("RssShmem"),
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external + m.arrayBuffers,
  };
}

handle("run", "done", async (m) => {
  if (!gc) throw new Error("run this worker with --expose-gc");
  const pending = m.pending as number;
  const step = Math.max(1, Math.floor(pending / 100));
  const startup = snapshot(0);
  const enqueued: Snapshot[] = [];
  const drained: Snapshot[] = [];
  // Publishing barely yields to timers (better-sqlite3 is synchronous), so it is sampled per batch.
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const filename = join(m.dir as string, `memory-${process.pid}.sqlite`);
  const storage = sqliteStorage({ filename, durability: m.durability as "full" | "normal" });
  await createEndpoints(storage, m.origin as string, 1, m.auth as AuthInput);
  const bench = benchDispatcher({
    storage,
    onDelivered: (count) => {
      if (count % step === 0) drained.push(snapshot(count));
    },
  });
  const t0 = performance.now();
  for (let offset = 0; offset < pending; offset += 1000) {
    await publishAll(bench.dispatcher, sampleEvents(Math.min(1000, pending - offset), 1, offset));
    sample();
    const count = Math.min(pending, offset + 1000);
    if (enqueued.length === 0 && count >= pending / 10) enqueued.push(snapshot(count));
  }
  const publishSeconds = (performance.now() - t0) / 1000;
  enqueued.push(snapshot(pending));
  const publishPeak = peak;
  peak = 0;
  const sampler = setInterval(sample, 50);
  const result = await bench.drain(pending, m.capMs as number);
  clearInterval(sampler);
  await bench.close();
  await storage.close();
  return { startup, enqueued, drained, publishPeak, drainPeak: peak, drain: result, publishSeconds };
});
onExit();
