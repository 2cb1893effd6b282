import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { isWebhookError } from "../../src/errors.js";
import { type PostgresStorage, postgresStorage } from "../../src/storage/postgres/index.js";
import { eventNo } from "./helpers/events.js";
import { type FaultServer, startFaultServer } from "./helpers/fault-server.js";
import { recordFigures } from "./helpers/figures.js";
import { checkNoneLost, createRig, listAll, until } from "./helpers/harness.js";
import { type OwnPostgres, startOwnPostgres } from "./helpers/own-postgres.js";
import { DATABASE_URL } from "./helpers/postgres.js";

// The storage-level outage is test/storage/postgres-outage.test.ts; this is the running dispatcher.
const EVENTS = process.env.FW_SOAK === "1" ? 1000 : 200;

describe.skipIf(DATABASE_URL === undefined)("PostgreSQL restarted under a running dispatcher", () => {
  let cluster: OwnPostgres;
  let storage: PostgresStorage;
  let server: FaultServer;
  beforeAll(async () => {
    cluster = await startOwnPostgres();
    storage = postgresStorage({ connectionString: cluster.url });
    server = await startFaultServer();
  }, 60_000);
  afterAll(async () => {
    await storage?.close();
    await server?.close();
    await cluster?.remove();
  }, 60_000);

  it(`publishes during the outage are refused with a StorageError; every acknowledged one (${EVENTS}+) is delivered; the worker survives the restart`, async () => {
    const rig = await createRig({
      url: server.url,
      storage,
      clock: systemClock,
      dispatcher: { timeoutMs: 500, leaseMs: 2000, pollIntervalMs: 20 },
    });
    rig.dispatcher.start();
    const acked: string[] = [];
    let refused = 0;
    let next = 0;
    let publishing = true;
    // One publisher, 5 events every 10 ms, as an application goes on publishing whatever happens.
    const publisher = (async () => {
      while (publishing) {
        const batch = Array.from({ length: 5 }, (_, i) => eventNo(next + i));
        next += 5;
        try {
          const results = await rig.dispatcher.publishMany(batch);
          for (const r of results) if (r.status === "enqueued") acked.push(r.deliveryId);
        } catch (error) {
          expect(isWebhookError(error, "ERR_STORAGE"), String(error)).toBe(true);
          refused += batch.length;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    await until(() => acked.length >= EVENTS / 2, 30_000, "half published");
    await cluster.halt();
    const haltedAt = Date.now();
    await until(() => refused > 0, 10_000, "a publish refused while the database is down");
    await new Promise((resolve) => setTimeout(resolve, 500));
    await cluster.resume();
    const downMs = Date.now() - haltedAt;
    await until(() => acked.length >= EVENTS, 30_000, "publishing works again");
    publishing = false;
    await publisher;

    await until(
      async () => (await listAll(storage, "delivered")).length >= acked.length,
      60_000,
      "every acked event delivered",
    );
    expect(rig.dispatcher.state).toBe("active");
    await rig.dispatcher.stop();
    expect(rig.hooks.onError.length, "storage errors reported while down").toBeGreaterThan(0);
    const { figures } = await checkNoneLost(storage, acked, server.processed);
    expect(figures.delivered).toBe(acked.length);
    expect(acked.length + refused).toBe(next);
    recordFigures({
      scenario: "PostgreSQL restarted mid-run (dispatcher running)",
      ...figures,
      notes: `${refused} publishes refused with ERR_STORAGE while down (${downMs} ms); ${rig.hooks.onError.length} worker errors reported`,
    });
  }, 120_000);
});
