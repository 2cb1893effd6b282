import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/errors.js";
import { createRecordingTransport } from "../../src/testing/recording-transport.js";
import type { TransportRequest } from "../../src/transport/index.js";
import { eventInput, setup, until } from "./helpers.js";

/** Answers only when the caller's signal aborts, adding a listener per request (as `fetch` does). */
function hang(request: TransportRequest): Promise<never> {
  return new Promise((_resolve, reject) => {
    request.signal?.addEventListener("abort", () => reject(new TransportError("aborted", "aborted")));
  });
}

const requestIds = (n: number) => Array.from({ length: n }, (_, i) => `req${String(i).padStart(29, "0")}`);

describe("the abort signal of attempts", () => {
  it("is one per claim round: every attempt of a round shares it, the next round gets a fresh one", async () => {
    const h = await setup();
    for (const requestId of requestIds(3)) await h.dispatcher.publish(eventInput({ requestId }));
    expect(await h.dispatcher.runOnce()).toBe(3);
    await h.dispatcher.publish(eventInput({ requestId: "late0000000000000000000000000000" }));
    expect(await h.dispatcher.runOnce()).toBe(1);
    const [a, b, c, later] = h.transport.requests.map((r) => r.signal);
    expect(a).toBeInstanceOf(AbortSignal);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(later).toBeInstanceOf(AbortSignal);
    expect(later).not.toBe(a);
  });

  it("aborts every attempt of a round at the stop timeout, with no listener-leak warning past 10 in flight", async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const transport = createRecordingTransport(hang);
      const h = await setup({ transport, concurrency: { global: 16, perEndpoint: 16 } });
      for (const requestId of requestIds(16)) await h.dispatcher.publish(eventInput({ requestId }));
      h.dispatcher.start();
      await until(() => transport.requests.length === 16);
      expect(new Set(transport.requests.map((r) => r.signal)).size).toBe(1);
      await h.dispatcher.stop({ timeoutMs: 20 });
      const { items } = await h.dispatcher.deliveries.list();
      expect(items).toHaveLength(16);
      for (const d of items) {
        expect(d).toMatchObject({ status: "pending", attempts: 1 });
        expect(d.attemptLog[0]!.error).toBe("aborted");
      }
      // Node reports a listener leak on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
