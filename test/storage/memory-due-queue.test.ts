import { describe, expect, it } from "vitest";
import type { DueRow as Row } from "../../src/storage/memory/due-lane.js";
import { DueQueue } from "../../src/storage/memory/due-queue.js";

/** A deterministic pseudo-random sequence (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("DueQueue", () => {
  it("takes due rows by (time, id) across configurations, skipping the ones asked", () => {
    const queue = new DueQueue<Row>();
    const row = (id: string, configId = "c1"): Row => ({ id, configId, dueEntry: undefined });
    const [b, a, c, x] = [row("b"), row("a"), row("c"), row("x", "c2")];
    queue.schedule(b, 10, 10);
    queue.schedule(a, 10, 10);
    queue.schedule(c, 5, 10);
    queue.schedule(x, 7, 10);
    expect(queue.take(10, 10, () => false)).toEqual([c, x, a, b]);
    for (const r of [c, x, a, b]) queue.schedule(r, r === a ? 1000 : 10, 10);
    expect(queue.take(10, 2, (configId) => configId === "c2")).toEqual([b, c]);
    queue.schedule(b, 10, 10);
    queue.schedule(c, 10, 10);
    queue.remove(b);
    expect(queue.take(10, 10, () => false)).toEqual([c, x]);
    expect(queue.take(999, 10, () => false)).toEqual([]);
    expect(queue.take(1000, 10, () => false)).toEqual([a]);
  });

  it("agrees with sorting every scheduled row, whatever the order of schedules, removals and takes", () => {
    const next = random(42);
    const queue = new DueQueue<Row>();
    const rows = Array.from(
      { length: 300 },
      (_, i): Row => ({
        id: `d-${String(Math.floor(next() * 1e6)).padStart(7, "0")}-${i}`,
        configId: `c${i % 4}`,
        dueEntry: undefined,
      }),
    );
    const due = new Map<Row, number>();
    let now = 0;
    for (let step = 0; step < 5000; step++) {
      const r = next();
      const row = rows[Math.floor(next() * rows.length)]!;
      if (r < 0.45) {
        // Mostly due now, in id order (like enqueues), else in the past or the future.
        const at = next() < 0.6 ? now : now + Math.floor((next() - 0.5) * 200);
        queue.schedule(row, at, now);
        due.set(row, at);
      } else if (r < 0.55) {
        queue.remove(row);
        due.delete(row);
      } else if (r < 0.65) {
        now += Math.floor(next() * 20);
      } else {
        const window = 1 + Math.floor(next() * 12);
        const skipped = `c${Math.floor(next() * 6)}`;
        const expected = [...due]
          .filter(([candidate, at]) => at <= now && candidate.configId !== skipped)
          .sort(([ra, a], [rb, b]) => a - b || (ra.id < rb.id ? -1 : 1))
          .slice(0, window)
          .map(([candidate]) => candidate);
        const taken = queue.take(now, window, (configId) => configId === skipped);
        expect(taken).toEqual(expected);
        // The caller reschedules what it took: leased (later) or as it was.
        for (const t of taken) {
          const at = next() < 0.5 ? now + 1 + Math.floor(next() * 100) : due.get(t)!;
          queue.schedule(t, at, now);
          due.set(t, at);
        }
      }
    }
  });
});
