import { describe, expect, it } from "vitest";
import { TransportError } from "../../src/errors.js";
import type { HookEvents } from "../../src/dispatcher/index.js";
import { eventInput, setup } from "./helpers.js";

async function published(h: Awaited<ReturnType<typeof setup>>): Promise<string> {
  const result = await h.dispatcher.publish(eventInput());
  if (result.status !== "enqueued") throw new Error("expected an enqueued delivery");
  return result.deliveryId;
}

describe("retries", () => {
  it("retries a 500 after the first delay, with a stable webhook-id and a fresh timestamp", async () => {
    const h = await setup();
    const id = await published(h);
    h.transport.enqueue({ status: 500, body: "down" });
    expect(await h.dispatcher.runOnce()).toBe(1);
    h.clock.advance(4_999);
    expect(await h.dispatcher.runOnce()).toBe(0);
    h.clock.advance(1);
    expect(await h.dispatcher.runOnce()).toBe(1);
    const delivery = await h.dispatcher.deliveries.get(id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
    expect(delivery!.attemptLog.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, "HTTP 500"],
      [2, 200, undefined],
    ]);
    expect(delivery!.attemptLog[0]!.responseBody).toBe("down");
    const [first, second] = h.transport.requests;
    expect(first!.headers["webhook-id"]).toBe(id);
    expect(second!.headers["webhook-id"]).toBe(id);
    expect([first!.headers["webhook-attempt"], second!.headers["webhook-attempt"]]).toEqual(["1", "2"]);
    expect(Number(second!.headers["webhook-timestamp"]) - Number(first!.headers["webhook-timestamp"])).toBe(5);
    expect(second!.body).toBe(first!.body);
  });

  it.each([401, 403, 404, 408, 429, 502, 503])(
    "retries HTTP %i (a receiver's deploy must not lose events)",
    async (status) => {
      const h = await setup();
      const id = await published(h);
      h.transport.enqueue({ status });
      await h.dispatcher.runOnce();
      expect(await h.dispatcher.deliveries.get(id)).toMatchObject({ status: "pending", attempts: 1 });
    },
  );

  it("retries network errors and timeouts, logging the error kind", async () => {
    const h = await setup();
    const id = await published(h);
    h.transport.enqueue(new TransportError("network", "Request to hooks.example.com failed: ECONNRESET."));
    h.transport.enqueue(new TransportError("timeout", "Request to hooks.example.com timed out after 15000 ms."));
    await h.dispatcher.runOnce();
    h.clock.advance(5_000);
    await h.dispatcher.runOnce();
    const { attemptLog } = (await h.dispatcher.deliveries.get(id))!;
    expect(attemptLog.map((a) => a.error)).toEqual([
      "Request to hooks.example.com failed: ECONNRESET.",
      "Request to hooks.example.com timed out after 15000 ms.",
    ]);
    expect(attemptLog[0]!.statusCode).toBeUndefined();
  });

  it("treats a redirect as a failure", async () => {
    const h = await setup();
    const id = await published(h);
    h.transport.enqueue({ status: 301, headers: { location: "https://elsewhere.example.com" } });
    await h.dispatcher.runOnce();
    const delivery = (await h.dispatcher.deliveries.get(id))!;
    expect(delivery.status).toBe("pending");
    expect(delivery.attemptLog[0]!.error).toBe("HTTP 301 (redirects are not followed)");
  });

  it("honours Retry-After (seconds or date), capped at maxRetryAfterMs", async () => {
    const retries: number[] = [];
    const h2 = await setup({
      retry: { jitter: 0, maxRetryAfterMs: 600_000 },
      hooks: { onRetryScheduled: ({ retryInMs }) => void retries.push(retryInMs) },
    });
    await published(h2);
    const date = new Date(h2.clock.now() + 120_000).toUTCString();
    h2.transport.enqueue({ status: 429, headers: { "retry-after": "90" } });
    await h2.dispatcher.runOnce();
    h2.clock.advance(90_000);
    h2.transport.enqueue({ status: 503, headers: { "retry-after": date } });
    await h2.dispatcher.runOnce();
    h2.clock.advance(120_000);
    h2.transport.enqueue({ status: 503, headers: { "retry-after": "86400" } });
    await h2.dispatcher.runOnce();
    // 90 s > the 5 s step; the date is 120 s ahead (30 s after the 90 s wait) < the 30 s step, so 30 s; 1 day is capped.
    expect(retries).toEqual([90_000, 30_000, 600_000]);
  });

  it("dead-letters after the last attempt of the schedule, then redelivers in a new round", async () => {
    const dead: Array<HookEvents["onDead"]> = [];
    const h = await setup({
      retry: { jitter: 0, schedule: [1_000, 2_000] },
      hooks: { onDead: (e) => void dead.push(e) },
    });
    h.transport.enqueue({ status: 500 }, { status: 500 }, { status: 500 });
    const id = await published(h);
    await h.dispatcher.runOnce();
    h.clock.advance(1_000);
    await h.dispatcher.runOnce();
    h.clock.advance(2_000);
    await h.dispatcher.runOnce();
    expect(await h.dispatcher.deliveries.get(id)).toMatchObject({
      status: "dead",
      deadReason: "max_attempts",
      attempts: 3,
    });
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      reason: "max_attempts",
      delivery: { id, attempts: 3 },
      attempt: { statusCode: 500 },
    });
    expect(JSON.stringify(dead)).not.toContain("john.doe");

    await h.dispatcher.redeliver(id);
    expect(await h.dispatcher.runOnce()).toBe(1);
    const delivery = await h.dispatcher.deliveries.get(id);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 4 });
    expect(h.transport.requests.at(-1)!.headers["webhook-attempt"]).toBe("4");
  });

  it("supports a schedule function", async () => {
    const h = await setup({ retry: { jitter: 0, schedule: (n) => (n < 2 ? 7_000 : undefined) } });
    h.transport.enqueue({ status: 500 }, { status: 500 });
    const id = await published(h);
    await h.dispatcher.runOnce();
    h.clock.advance(7_000);
    await h.dispatcher.runOnce();
    expect(await h.dispatcher.deliveries.get(id)).toMatchObject({ status: "dead", deadReason: "max_attempts" });
  });

  it("dead-letters instead of scheduling a retry past the maximum age", async () => {
    const h = await setup({ retry: { jitter: 0, schedule: [1_000, 3_600_000], maxAgeMs: 60_000 } });
    h.transport.enqueue({ status: 500 }, { status: 500 });
    const id = await published(h);
    await h.dispatcher.runOnce();
    h.clock.advance(1_000);
    await h.dispatcher.runOnce();
    expect(await h.dispatcher.deliveries.get(id)).toMatchObject({ status: "dead", deadReason: "max_age" });
  });

  it("refuses to redeliver what is not a dead letter", async () => {
    const h = await setup();
    const id = await published(h);
    await expect(h.dispatcher.redeliver(id)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    await expect(h.dispatcher.redeliver("0190a000-0000-7000-8000-000000000000")).rejects.toMatchObject({
      code: "ERR_DELIVERY_NOT_FOUND",
    });
  });

  it("redelivers every dead letter since an instant", async () => {
    const h = await setup({ retry: { jitter: 0, schedule: [] } });
    h.transport.enqueue({ status: 500 }, { status: 500 });
    await published(h);
    await h.dispatcher.publish(eventInput({ requestId: "second-request-id-000000000000000" }));
    const since = new Date(h.clock.now());
    expect(await h.dispatcher.runOnce()).toBe(2);
    expect(await h.dispatcher.redeliverDead({ since })).toBe(2);
    expect(await h.dispatcher.runOnce()).toBe(2);
    expect((await h.dispatcher.deliveries.list({ status: "delivered" })).items).toHaveLength(2);
  });

  it("drops response bodies when retention.keepResponseBodies is false", async () => {
    const h = await setup({ retention: { keepResponseBodies: false } });
    h.transport.enqueue({ status: 500, body: "stack trace with secrets" });
    const id = await published(h);
    await h.dispatcher.runOnce();
    expect((await h.dispatcher.deliveries.get(id))!.attemptLog[0]!.responseBody).toBeUndefined();
  });
});
