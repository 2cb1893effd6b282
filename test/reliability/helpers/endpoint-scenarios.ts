import { expect } from "vitest";
import { type Fault, type FaultRequest, type FaultServer, startFaultServer } from "./fault-server.js";
import { type Figures, recordFigures } from "./figures.js";
import { checkNoneLost, createRig, type Rig, type RigOptions, settle } from "./harness.js";

const MINUTE = 60_000;

/** One endpoint fault of the matrix: what the endpoint does, and what must hold afterwards. */
export interface EndpointScenario {
  /** Row name in RELIABILITY.md. */
  name: string;
  /** What was injected, for RELIABILITY.md. */
  injected: string;
  /** The endpoint's behaviour; `clock` is the dispatcher's injected clock. */
  fault(request: FaultRequest, clock: { now(): number }): Fault;
  rig?: Omit<RigOptions, "url">;
  /** Extra checks on the run, after the shared invariants. */
  check?(run: ScenarioRun): void | Promise<void>;
  /** Runs between publish and the end (e.g. an admin resuming a webhook). */
  drive?(run: Omit<ScenarioRun, "outcome">): Promise<void>;
  /** Held deliveries (410) may stay pending. */
  allowHeld?: boolean;
  /** False when some attempts never reach the endpoint (connection refused). @default true */
  attemptsReachServer?: boolean;
}

/** Everything a scenario's `check` can look at. */
export interface ScenarioRun {
  rig: Rig;
  server: FaultServer;
  ids: string[];
  outcome: Awaited<ReturnType<typeof checkNoneLost>>;
  /** Real milliseconds the whole run took. */
  elapsedMs: number;
  /** Figures a scenario adds to its RELIABILITY.md row. */
  notes: string[];
}

/**
 * Publishes `count` events to a real 127.0.0.1 endpoint that misbehaves as `scenario` says, drives
 * the dispatcher on its injected clock until everything settled, checks that none vanished (each
 * delivered or dead with a full attempt log) and records the figures.
 *
 * @example
 * ```ts
 * await runEndpointScenario(ENDPOINT_SCENARIOS[0], 20);
 * ```
 */
export async function runEndpointScenario(scenario: EndpointScenario, count: number): Promise<Figures> {
  const server = await startFaultServer();
  const started = Date.now();
  let rig: Rig | undefined;
  try {
    rig = await createRig({ url: server.url, ...scenario.rig });
    const clock = rig.clock;
    server.behave((request) => scenario.fault(request, clock));
    const ids = await rig.publish(count);
    const notes: string[] = [];
    if (scenario.drive) await scenario.drive({ rig, server, ids, elapsedMs: 0, notes });
    else await settle(rig);
    const outcome = await checkNoneLost(rig.storage, ids, server.processed, { allowHeld: scenario.allowHeld });
    // Every attempt the dispatcher logged reached this endpoint, and no attempt went unlogged.
    if (scenario.attemptsReachServer !== false) {
      for (const d of outcome.deliveries) {
        expect(server.requests.get(d.id) ?? 0, `${d.id}: requests vs attempts`).toBe(d.attempts);
      }
    }
    const run = { rig, server, ids, outcome, elapsedMs: Date.now() - started, notes };
    await scenario.check?.(run);
    const attempts = outcome.deliveries.reduce((n, d) => n + d.attempts, 0);
    const figures: Figures = {
      scenario: scenario.name,
      ...outcome.figures,
      notes: [
        ...notes,
        `${attempts} attempts, ${rig.hooks.onEndpointPaused.length} breaker pauses, ${run.elapsedMs} ms real time`,
      ].join("; "),
    };
    recordFigures(figures);
    return figures;
  } finally {
    await rig?.dispatcher.stop();
    await server.close();
  }
}

const ok: Fault = { status: 200 };
// Slow failures (timeouts) run 16 at a time (undici's connections per origin: more would queue in
// the pool and time out unsent), without jitter (retries due together run together) and without
// the breaker's one-probe mode, so that each costs one timeout per wave, not per delivery.
const FAST_FAILURES = {
  dispatcher: {
    concurrency: { perEndpoint: 16 },
    retry: { jitter: 0 },
    circuitBreaker: { failureThreshold: 1_000_000 },
  },
};
const statusesOf = (run: ScenarioRun) =>
  run.outcome.deliveries.map((d) => d.attemptLog.map((a) => a.statusCode ?? "none"));

/**
 * A 200 whose body is then cut (stalled, dripped) ends at the deadline WITH its status: delivered,
 * not sent again. Under load an earlier attempt may time out before any status (queued behind
 * stalled answers): only such attempts precede the 200, and only they can cause a duplicate.
 */
function checkStatusThenCutBody(run: ScenarioRun): void {
  let retried = 0;
  for (const d of run.outcome.deliveries) {
    expect(d.status).toBe("delivered");
    const last = d.attemptLog.at(-1)!;
    expect(last.statusCode).toBe(200);
    expect(last.durationMs).toBeLessThan(300 + 1500);
    for (const a of d.attemptLog.slice(0, -1)) {
      expect(a.statusCode).toBeUndefined();
      expect(a.error).toMatch(/timed out/);
    }
    if (d.attemptLog.length > 1) retried++;
  }
  expect(run.outcome.figures.duplicated).toBeLessThanOrEqual(retried);
  run.notes.push(`${retried} of ${run.ids.length} timed out before any status once, then delivered`);
}

/** The endpoint fault matrix of the reliability issue. */
export const ENDPOINT_SCENARIOS: readonly EndpointScenario[] = [
  {
    name: "500s then recovery",
    injected: "HTTP 500 on the first 3 attempts of every delivery, then 200",
    fault: ({ nth }) => (nth <= 3 ? { status: 500, body: "boom" } : ok),
    check(run) {
      for (const statuses of statusesOf(run)) expect(statuses).toEqual([500, 500, 500, 200]);
      expect(run.outcome.figures.delivered).toBe(run.ids.length);
    },
  },
  {
    name: "404/403/401 during a receiver's deploy, then recovery",
    injected: "404, 403, 401, 502, 503 in turn for the first 20 minutes (injected clock), then 200",
    fault: ({ total }, clock) => {
      const deployEnds = Date.UTC(2025, 0, 1) + 20 * MINUTE;
      if (clock.now() < deployEnds) return { status: [404, 403, 401, 502, 503][total % 5]! };
      return ok;
    },
    check(run) {
      // A 4xx is not final: every delivery outlived the deploy and arrived.
      expect(run.outcome.figures.delivered).toBe(run.ids.length);
      const codes = new Set(run.outcome.deliveries.flatMap((d) => d.attemptLog.map((a) => a.statusCode)));
      for (const code of [404, 403, 401]) expect(codes).toContain(code);
    },
  },
  {
    name: "429 with Retry-After (seconds)",
    injected: "429 Retry-After: 120 on the first attempt (schedule says 5 s), then 200",
    rig: { dispatcher: { circuitBreaker: { failureThreshold: 1_000_000 } } },
    fault: ({ nth }) => (nth === 1 ? { status: 429, headers: { "retry-after": "120" } } : ok),
    check(run) {
      for (const d of run.outcome.deliveries) {
        const [first, second] = d.attemptLog;
        expect(second!.startedAt.getTime() - first!.startedAt.getTime()).toBeGreaterThanOrEqual(120_000);
      }
      expect(run.outcome.figures.delivered).toBe(run.ids.length);
    },
  },
  {
    name: "503 with Retry-After (HTTP date) and an absurd Retry-After",
    injected: "503 Retry-After: <date +10 min> on attempt 1, 429 Retry-After: 1 year on attempt 2, then 200",
    rig: { dispatcher: { circuitBreaker: { failureThreshold: 1_000_000 } } },
    fault: ({ nth }, clock) => {
      if (nth === 1)
        return { status: 503, headers: { "retry-after": new Date(clock.now() + 10 * MINUTE).toUTCString() } };
      if (nth === 2) return { status: 429, headers: { "retry-after": String(365 * 86_400) } };
      return ok;
    },
    check(run) {
      for (const d of run.outcome.deliveries) {
        const [a, b, c] = d.attemptLog.map((x) => x.startedAt.getTime());
        expect(b! - a!).toBeGreaterThanOrEqual(10 * MINUTE - 1000);
        // Capped at maxRetryAfterMs (1 h by default): a hostile header cannot park a delivery for a year.
        expect(c! - b!).toBeGreaterThanOrEqual(60 * MINUTE);
        expect(c! - b!).toBeLessThanOrEqual(60 * MINUTE + 1000);
      }
    },
  },
  {
    name: "503 forever: the whole retry schedule, then a dead letter",
    injected: "503 on every attempt; default schedule (5 s … 12 h, ±20 % jitter) on the injected clock",
    rig: { dispatcher: { circuitBreaker: { failureThreshold: 1_000_000 } } },
    fault: () => ({ status: 503 }),
    check(run) {
      const schedule = [
        5_000,
        30_000,
        2 * MINUTE,
        10 * MINUTE,
        30 * MINUTE,
        60 * MINUTE,
        180 * MINUTE,
        360 * MINUTE,
        720 * MINUTE,
      ];
      for (const d of run.outcome.deliveries) {
        expect(d).toMatchObject({ status: "dead", deadReason: "max_attempts", attempts: 10 });
        const starts = d.attemptLog.map((a) => a.startedAt.getTime());
        const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
        gaps.forEach((gap, i) => {
          expect(gap, `gap ${i + 1}`).toBeGreaterThanOrEqual(Math.floor(schedule[i]! * 0.8));
          expect(gap, `gap ${i + 1}`).toBeLessThanOrEqual(Math.ceil(schedule[i]! * 1.2) + 1);
        });
      }
      const spans = run.outcome.deliveries.map(
        (d) => d.attemptLog.at(-1)!.startedAt.getTime() - d.attemptLog[0]!.startedAt.getTime(),
      );
      run.notes.push(
        `each died after 10 attempts over ${(Math.min(...spans) / 3_600_000).toFixed(1)}–${(Math.max(...spans) / 3_600_000).toFixed(1)} h (injected clock)`,
      );
    },
  },
  {
    name: "connection reset mid-body",
    injected:
      "attempt 1: socket destroyed while the request body arrives; attempt 2: 200 headers, half the body, reset; then 200",
    fault: ({ nth }) => (nth === 1 ? "reset-request" : nth === 2 ? "reset-response" : ok),
    check(run) {
      for (const d of run.outcome.deliveries) {
        expect(d.status).toBe("delivered");
        expect(d.attemptLog[0]!.statusCode).toBeUndefined();
        // The 200 arrived before the reset: it is the answer, so the event is not sent again.
        expect(d.attemptLog).toHaveLength(2);
        expect(d.attemptLog[1]!.statusCode).toBe(200);
      }
      expect(run.outcome.figures.duplicated).toBe(0);
    },
  },
  {
    name: "accept, then never answer (timeout)",
    injected: "the endpoint reads the request and never answers on attempt 1; timeoutMs 300",
    rig: FAST_FAILURES,
    fault: ({ nth }) => (nth === 1 ? "hang" : ok),
    check(run) {
      for (const d of run.outcome.deliveries) {
        expect(d.attemptLog[0]!.error).toMatch(/timed out after 300 ms/);
        expect(d.attemptLog[0]!.durationMs).toBeLessThan(300 + 1500);
        expect(d.status).toBe("delivered");
      }
    },
  },
  {
    name: "answer headers, then stall the body",
    injected: "200 headers + 10 of 1000 bytes then silence; timeoutMs 300",
    rig: FAST_FAILURES,
    fault: () => "stall-body",
    check: checkStatusThenCutBody,
  },
  {
    name: "answer headers, then drip the body forever",
    injected: "200 headers, then 1 byte every 50 ms without end; timeoutMs 300",
    rig: FAST_FAILURES,
    fault: () => "drip",
    // The drip resets undici's idle body timer every 50 ms: only the whole-attempt deadline stops it.
    check: checkStatusThenCutBody,
  },
  {
    name: "3xx redirect, never followed",
    injected:
      "301/302/303/307/308 with Location: /trap on every attempt; 3-attempt schedule; then fixed + redeliverDead",
    rig: { dispatcher: { retry: { schedule: [1000, 1000], jitter: 0 } } },
    fault: ({ nth, total }) =>
      nth <= 3 ? { status: [301, 302, 303, 307, 308][total % 5]!, headers: { location: "/trap" } } : ok,
    async drive(run) {
      await settle(run.rig);
      const dead = await run.rig.storage.listDeliveries({ status: "dead", limit: 10_000 });
      expect(dead).toHaveLength(run.ids.length);
      for (const d of dead) {
        expect(d.deadReason).toBe("max_attempts");
        expect(d.attemptLog.map((a) => a.error)).toEqual(
          Array(3).fill(expect.stringMatching(/redirects are not followed/)),
        );
      }
      // A followed redirect would have reached /trap.
      expect(run.server.paths.get("/trap")).toBeUndefined();
      run.notes.push(`round 1: ${dead.length} dead (max_attempts), /trap never requested; redeliverDead → round 2`);
      // The endpoint is fixed: an operator redelivers the dead letters.
      expect(await run.rig.dispatcher.redeliverDead({ since: new Date(0), limit: 10_000 })).toBe(run.ids.length);
      await settle(run.rig);
    },
    check(run) {
      expect(run.outcome.figures.delivered).toBe(run.ids.length);
      for (const statuses of statusesOf(run)) expect(statuses.slice(-1)).toEqual([200]);
    },
  },
  {
    name: "410 Gone, then resumed",
    injected: "410 on the first request; every delivery is held; the admin calls resumeWebhook; then 200",
    fault: ({ total }) => (total === 1 ? { status: 410 } : ok),
    async drive(run) {
      await settle(run.rig);
      // Held, not attempted: only the attempts already in flight (perEndpoint: 4) reached the endpoint.
      expect(run.server.total()).toBeLessThanOrEqual(4);
      expect(run.rig.hooks.onWebhookDisabled).toEqual([{ configId: run.rig.config.id, reason: "gone" }]);
      // The attempts already in flight with the 410 answered 200; everything else waits.
      const pending = await run.rig.storage.listDeliveries({ status: "pending", limit: 10_000 });
      const delivered = await run.rig.storage.listDeliveries({ status: "delivered", limit: 10_000 });
      expect(delivered.length).toBeLessThanOrEqual(3);
      expect(pending.length + delivered.length).toBe(run.ids.length);
      run.notes.push(`${pending.length} held after the 410, ${delivered.length} already in flight delivered`);
      await run.rig.dispatcher.resumeWebhook(run.rig.config.id);
      await settle(run.rig);
    },
    check(run) {
      expect(run.outcome.figures.delivered).toBe(run.ids.length);
    },
  },
  {
    name: "410 Gone, never resumed",
    injected: "410 on the first request; nobody resumes; 3 days pass (maxAgeMs)",
    fault: () => ({ status: 410 }),
    async drive(run) {
      await settle(run.rig);
      expect(run.server.total()).toBeLessThanOrEqual(4);
      // Maintenance dead-letters held deliveries past their maximum age: nothing waits forever.
      run.rig.clock.advance(3 * 24 * 60 * MINUTE + 1);
      await run.rig.dispatcher.runOnce();
      run.notes.push("held until maxAgeMs (3 days), then dead-lettered max_age by maintenance");
    },
    check(run) {
      expect(run.outcome.figures.dead).toBe(run.ids.length);
      for (const d of run.outcome.deliveries) expect(d.deadReason).toBe("max_age");
    },
  },
  {
    name: "endpoint down (connection refused) for 30 minutes, then back",
    injected: "the port is closed (ECONNREFUSED) for 30 minutes of the injected clock, then the server listens again",
    attemptsReachServer: false,
    fault: () => ok,
    async drive(run) {
      await run.server.pause();
      const backAt = run.rig.clock.now() + 30 * MINUTE;
      while (run.rig.clock.now() < backAt) {
        if ((await run.rig.dispatcher.runOnce()) === 0) run.rig.clock.advance(MINUTE);
      }
      await run.server.listen();
      await settle(run.rig);
    },
    check(run) {
      const refusedFirst = run.outcome.deliveries.filter((d) => d.attemptLog[0]!.error?.includes("ECONNREFUSED"));
      expect(refusedFirst.length).toBeGreaterThan(0);
      for (const d of run.outcome.deliveries) {
        expect(d.status).toBe("delivered");
        // Every attempt but the last was refused; none reached the endpoint before it was back.
        expect(run.server.requests.get(d.id)).toBe(1);
      }
    },
  },
];
