import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { undiciTransport } from "../../src/transport/index.js";
import { type Fault, type FaultServer, startFaultServer } from "./helpers/fault-server.js";
import { recordFigures } from "./helpers/figures.js";
import { createRig, quietLogger } from "./helpers/harness.js";
import { DATABASE_URL, dropSchema, uniqueSchema } from "./helpers/postgres.js";
import { spawnWorker, type WorkerProcess } from "./helpers/spawn-worker.js";
import { tempDir } from "./helpers/temp-dir.js";

/** A promise and its resolver. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: FaultServer | undefined;
let worker: WorkerProcess | undefined;
afterEach(async () => {
  await worker?.kill();
  worker = undefined;
  await server?.close();
  server = undefined;
});

/**
 * The endpoint holds worker A's request (the first one) until the test releases it with
 * `answerA`; later requests get `later(nth)` (200 by default).
 */
async function endpointHoldingFirstRequest(later: (nth: number) => Fault = () => ({ status: 200 })) {
  const arrived = deferred();
  const answerA = deferred<Fault>();
  server = await startFaultServer();
  server.behave(({ nth }) => {
    if (nth > 1) return later(nth);
    arrived.resolve();
    return { defer: answerA.promise };
  });
  return { server, arrived: arrived.promise, answerA: answerA.resolve };
}

describe("leases (injected clock): a worker that lost its lease cannot record a result", () => {
  it("a stale failure (500) is not recorded over the new holder's success", async () => {
    const { server, arrived, answerA } = await endpointHoldingFirstRequest();
    const a = await createRig({ url: server.url, dispatcher: { timeoutMs: 5_000, leaseMs: 60_000 } });
    const [id] = await a.publish(1);
    const attemptA = a.dispatcher.runOnce();
    await arrived;
    a.clock.advance(60_001); // A's lease is over on the storage's clock; A is still waiting for its answer.
    const b = createDispatcher({
      storage: a.storage,
      clock: a.clock,
      logger: quietLogger(),
      transport: undiciTransport({ allowPrivateNetworks: true }),
    });
    expect(await b.runOnce()).toBe(1);
    answerA({ status: 500 });
    expect(await attemptA).toBe(1);

    const d = await a.storage.getDelivery(id!);
    expect(d).toMatchObject({ status: "delivered", attempts: 1 });
    expect(d!.attemptLog.map((x) => x.statusCode)).toEqual([200]);
    expect(a.hooks.onAttempt).toEqual([]);
    expect(a.hooks.onRetryScheduled).toEqual([]);
    expect(a.logger.lines).toContainEqual(
      expect.objectContaining({ level: "warn", message: expect.stringMatching(/lease lost/) }),
    );
    await b.stop();
    await a.dispatcher.stop();
  });

  it("a stale success (200) does not overwrite the new holder's failure: the delivery stays due and arrives again (at least once)", async () => {
    const { server, arrived, answerA } = await endpointHoldingFirstRequest((nth) => ({
      status: nth === 2 ? 503 : 200,
    }));
    const a = await createRig({
      url: server.url,
      dispatcher: { timeoutMs: 5_000, leaseMs: 60_000, retry: { jitter: 0 } },
    });
    const [id] = await a.publish(1);
    const attemptA = a.dispatcher.runOnce();
    await arrived;
    a.clock.advance(60_001);
    const b = createDispatcher({
      storage: a.storage,
      clock: a.clock,
      logger: quietLogger(),
      transport: undiciTransport({ allowPrivateNetworks: true }),
      retry: { jitter: 0 },
    });
    expect(await b.runOnce()).toBe(1); // 503: B schedules a retry in 5 s
    answerA({ status: 200 });
    await attemptA;
    const afterA = await a.storage.getDelivery(id!);
    expect(afterA).toMatchObject({ status: "pending", attempts: 1 });
    expect(afterA!.attemptLog.map((x) => x.statusCode)).toEqual([503]);
    a.clock.advance(5_000);
    expect(await b.runOnce()).toBe(1);
    const final = await a.storage.getDelivery(id!);
    expect(final!.attemptLog.map((x) => x.statusCode)).toEqual([503, 200]);
    // The endpoint processed A's 200 and the final one: one duplicate, never a loss.
    expect(server.processed.get(id!)).toBe(2);
    await b.stop();
    await a.dispatcher.stop();
  });
});

/**
 * Worker A (a child process) sends the attempt; the endpoint holds it; A is frozen with SIGSTOP;
 * its answer (a 500) is written while it sleeps; its lease runs out on the storage's own clock;
 * worker B (this process) takes the delivery over and delivers it; A is thawed and must not be
 * able to record its stale failure.
 */
async function sigstopPastTheLease(storage: Storage, env: Record<string, string>, label: string) {
  const LEASE_MS = 2000;
  const { server, arrived, answerA } = await endpointHoldingFirstRequest();
  const b = await createRig({ url: server.url, storage, clock: systemClock });
  const [id] = await b.publish(1);
  worker = await spawnWorker({ ...env, FW_REL_LEASE_MS: String(LEASE_MS), FW_REL_TIMEOUT_MS: "500" });
  await arrived;
  process.kill(worker.pid, "SIGSTOP");
  answerA({ status: 500 });
  await sleep(LEASE_MS + 700);

  expect(await b.dispatcher.runOnce()).toBe(1);
  expect(await storage.getDelivery(id!)).toMatchObject({ status: "delivered" });
  process.kill(worker.pid, "SIGCONT");
  await worker.waitFor(
    (l) => l.log === "warn" && l.id === id && /lease lost before recording/.test(l.message ?? ""),
    15_000,
  );
  expect(await worker.stop()).toBe(0);

  const d = await storage.getDelivery(id!);
  expect(d).toMatchObject({ status: "delivered", attempts: 1 });
  expect(d!.attemptLog.map((x) => x.statusCode)).toEqual([200]);
  expect(worker.lines.filter((l) => l.hook === "onAttempt" && l.id === id)).toEqual([]);
  expect(server.requests.get(id!)).toBe(2);
  recordFigures({
    scenario: `SIGSTOP past the lease (${label})`,
    sent: 1,
    delivered: 1,
    dead: 0,
    duplicated: 0,
    lost: 0,
    notes: "A frozen 2.7 s with a 2 s lease; B delivered; A's late 500 fenced (not recorded)",
  });
  await b.dispatcher.stop();
}

describe("SIGSTOP: a worker paused past its lease cannot record a result once another worker took the delivery over", () => {
  it("SQLite file shared by two processes", async () => {
    const dir = tempDir();
    const file = join(dir.path, "webhooks.db");
    const storage = sqliteStorage({ filename: file });
    try {
      await sigstopPastTheLease(storage, { FW_REL_SQLITE: file }, "SQLite");
    } finally {
      await storage.close();
      dir.remove();
    }
  }, 40_000);

  it.skipIf(DATABASE_URL === undefined)(
    "PostgreSQL shared by two processes",
    async () => {
      const schema = uniqueSchema();
      const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
      try {
        await sigstopPastTheLease(storage, { FW_REL_DATABASE_URL: DATABASE_URL!, FW_REL_SCHEMA: schema }, "PostgreSQL");
      } finally {
        await storage.close();
        await dropSchema(schema);
      }
    },
    40_000,
  );
});
