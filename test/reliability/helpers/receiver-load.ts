import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "vitest";
import { Pool } from "undici";
import { toNodeHandler } from "../../../src/adapters/node.js";
import { createMemoryDedupeStore, createReceiver } from "../../../src/receiver/index.js";
import { testKeys } from "../../../src/testing/index.js";
import { type Figures, recordFigures } from "./figures.js";
import { signBytes, VALID_TEXT } from "./hostile.js";
import { memorySampler, settledHeapMiB } from "./load.js";

/** The request kinds of the mix, with their weight and the only status each may get. */
const MIX = [
  { kind: "valid", weight: 60, expect: 200 },
  { kind: "bad-signature", weight: 8, expect: 401 },
  { kind: "replayed", weight: 7, expect: 401 },
  { kind: "wrong-content-type", weight: 8, expect: 415 },
  { kind: "malformed", weight: 6, expect: 400 },
  { kind: "invalid-event", weight: 6, expect: 422 },
  { kind: "oversized", weight: 5, expect: 413 },
] as const;
type Kind = (typeof MIX)[number]["kind"];

const INVALID_EVENT = VALID_TEXT.replace('"channel":"email"', '"channel":"fax"');
const OVERSIZED = `{"pad":"${"x".repeat(300 * 1024)}"}`;

async function requestOf(kind: Kind, replayable: { headers: Record<string, string> } | undefined) {
  switch (kind) {
    case "valid":
      return { body: VALID_TEXT, headers: await signBytes(VALID_TEXT, testKeys.hs256) };
    case "bad-signature": {
      const headers = await signBytes(VALID_TEXT, testKeys.hs256);
      return { body: VALID_TEXT, headers: { ...headers, authorization: `${headers.authorization!.slice(0, -4)}AAAA` } };
    }
    case "replayed":
      return { body: VALID_TEXT, headers: replayable!.headers };
    case "wrong-content-type":
      return {
        body: VALID_TEXT,
        headers: { ...(await signBytes(VALID_TEXT, testKeys.hs256)), "content-type": "text/plain" },
      };
    case "malformed":
      return { body: "{not json", headers: await signBytes("{not json", testKeys.hs256) };
    case "invalid-event":
      return { body: INVALID_EVENT, headers: await signBytes(INVALID_EVENT, testKeys.hs256) };
    case "oversized":
      return { body: OVERSIZED, headers: await signBytes(OVERSIZED, testKeys.hs256) };
  }
}

function pick(random: number): Kind {
  let x = random * 100;
  for (const m of MIX) {
    x -= m.weight;
    if (x < 0) return m.kind;
  }
  return "valid";
}

/**
 * Runs `connections` concurrent clients for `durationMs` against one receiver (JWT, dedupe store
 * capped at 20,000 entries) behind node:http on 127.0.0.1, with a mix of valid and invalid
 * requests. Every valid request must get 200 and every invalid one its documented status; the
 * heap after GC at the end may not exceed the heap after the warm-up third by more than
 * `growthLimitMiB`.
 */
export async function receiverUnderLoad(options: {
  connections: number;
  durationMs: number;
  growthLimitMiB: number;
  label: string;
}): Promise<Figures> {
  const receiver = createReceiver({
    auth: testKeys.hs256.receiverAuth,
    dedupe: { store: createMemoryDedupeStore({ maxEntries: 20_000 }) },
    onError: () => {},
  }).on("*", () => {});
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, toNodeHandler(receiver));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool(origin, { connections: options.connections, pipelining: 1 });
  const byKind = new Map<Kind, { sent: number; wrong: number }>(MIX.map((m) => [m.kind, { sent: 0, wrong: 0 }]));
  const wrongExamples: string[] = [];
  const sampler = memorySampler();
  let warmHeap = 0;
  const started = Date.now();
  const stopAt = started + options.durationMs;
  const warmTimer = setTimeout(() => {
    warmHeap = settledHeapMiB();
  }, options.durationMs / 3);
  let replayable: { headers: Record<string, string> } | undefined;

  const client = async () => {
    while (Date.now() < stopAt) {
      const kind = replayable === undefined ? "valid" : pick(Math.random());
      const { body, headers } = await requestOf(kind, replayable);
      const res = await pool
        .request({ path: "/webhooks/feedback", method: "POST", headers, body })
        .catch((e: unknown) => e as Error);
      const status = res instanceof Error ? 0 : res.statusCode;
      if (!(res instanceof Error)) await res.body.dump();
      const tally = byKind.get(kind)!;
      tally.sent += 1;
      const expected = MIX.find((m) => m.kind === kind)!.expect;
      // An oversized body may be cut off by the 413's connection close before it is all sent.
      const ok = status === expected || (kind === "oversized" && status === 0);
      if (!ok) {
        tally.wrong += 1;
        if (wrongExamples.length < 5)
          wrongExamples.push(`${kind}: ${status} ${res instanceof Error ? res.message : ""}`);
      }
      if (kind === "valid" && status === 200) replayable = { headers };
    }
  };
  try {
    await Promise.all(Array.from({ length: options.connections }, client));
    clearTimeout(warmTimer);
    const endHeap = settledHeapMiB();
    const memory = sampler.stop();
    const total = [...byKind.values()].reduce((n, t) => n + t.sent, 0);
    const valid = byKind.get("valid")!;
    expect(valid.wrong, `valid requests that did not get 200: ${wrongExamples.join("; ")}`).toBe(0);
    for (const [kind, t] of byKind) expect(t.wrong, `${kind}: ${wrongExamples.join("; ")}`).toBe(0);
    expect(
      endHeap - warmHeap,
      `heap after GC grew from ${warmHeap.toFixed(1)} to ${endHeap.toFixed(1)} MiB`,
    ).toBeLessThan(options.growthLimitMiB);
    const seconds = (Date.now() - started) / 1000;
    const figures: Figures = {
      scenario: options.label,
      sent: total,
      delivered: valid.sent,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: `${Math.round(total / seconds)} req/s over ${options.connections} connections for ${Math.round(seconds)} s; ${valid.sent} valid all 200, ${total - valid.sent} invalid all refused with their status; heap after GC ${warmHeap.toFixed(1)} → ${endHeap.toFixed(1)} MiB (peak ${memory.heapPeakMiB}, RSS peak ${memory.rssPeakMiB})`,
    };
    recordFigures(figures);
    return figures;
  } finally {
    clearTimeout(warmTimer);
    sampler.stop();
    await pool.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
