import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { isWebhookError, StorageError } from "../../src/errors.js";
import { type PostgresStorage, postgresStorage } from "../../src/storage/postgres/index.js";
import { newDelivery } from "../contract/describe-storage-contract.js";
import { startCountingReceiver } from "./helpers/counting-receiver.js";
import { skipPostgres } from "./helpers/postgres.js";
import { type OwnPostgres, startOwnPostgres } from "../reliability/helpers/own-postgres.js";
import { seedEvents } from "./helpers/seed-events.js";

const opts = { idempotencyWindowMs: 86_400_000 };

// Needs the machine that runs the shared test server: the same script starts a second cluster.
describe.skipIf(skipPostgres("postgres-outage.test.ts"))("postgresStorage when the database goes away", () => {
  let cluster: OwnPostgres;
  let storage: PostgresStorage;
  beforeAll(async () => {
    cluster = await startOwnPostgres();
    storage = postgresStorage({ connectionString: cluster.url });
  });
  afterAll(async () => {
    await storage?.close();
    await cluster?.remove();
  });

  it("fails with a clear StorageError while it is down and works again when it is back; nothing acked is lost", async () => {
    const acked = Array.from({ length: 20 }, () => newDelivery());
    await storage.enqueueDeliveries(acked, opts);
    const [held] = await storage.claimDeliveries({ limit: 1, leaseMs: 60_000 });

    await cluster.halt();
    const started = Date.now();
    const error = await storage.enqueueDeliveries([newDelivery()], opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as Error).message).toMatch(/^PostgreSQL storage: enqueueDeliveries failed: .+/);
    expect((error as Error).message).not.toContain(new URL(cluster.url).password);
    await expect(storage.claimDeliveries({ limit: 10, leaseMs: 1000 })).rejects.toBeInstanceOf(StorageError);
    await expect(storage.settleDelivery(held!.id, held!.claimToken, { next: { status: "delivered" } })).rejects.toThrow(
      StorageError,
    );
    expect(Date.now() - started).toBeLessThan(15_000);

    await cluster.resume();
    // The same storage object recovers: the pool replaces the connections the outage broke.
    expect(await storage.settleDelivery(held!.id, held!.claimToken, { next: { status: "delivered" } })).toBe(true);
    const late = newDelivery();
    await storage.enqueueDeliveries([late], opts);
    const all = await storage.listDeliveries({ limit: 100 });
    expect(all.map((d) => d.id).sort()).toEqual([...acked.map((d) => d.id), late.id].sort());
  }, 45_000);

  it("a running dispatcher reports the outage, keeps trying, and delivers every acked event once it is back", async () => {
    const schema = "dispatcher_outage";
    const dispatcherStorage = postgresStorage({ connectionString: cluster.url, schema });
    const receiver = await startCountingReceiver({ delayMs: 20 });
    const errors: unknown[] = [];
    const dispatcher = createDispatcher({
      storage: dispatcherStorage,
      allowPrivateNetworks: true,
      timeoutMs: 1000,
      leaseMs: 4000,
      pollIntervalMs: 50,
      concurrency: { global: 4, perEndpoint: 4 },
      hooks: { onError: ({ error }) => void errors.push(error) },
      logger: { info() {}, warn() {}, error() {} },
    });
    try {
      const acked = await seedEvents(dispatcherStorage, receiver.url, 200);
      dispatcher.start();
      await receiver.waitForDistinct(40, 20_000);

      await cluster.halt();
      const refused = await dispatcher.publish(lateEvent()).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StorageError);
      await new Promise((r) => setTimeout(r, 1000));
      expect(dispatcher.state).toBe("active");
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((e) => isWebhookError(e, "ERR_STORAGE"))).toBe(true);
      const seenDuringOutage = receiver.counts.size;

      await cluster.resume();
      await dispatcher.publish(lateEvent());
      await receiver.waitForDistinct(201, 25_000);
      expect(seenDuringOutage).toBeLessThan(201);
      for (const id of acked) expect(receiver.counts.has(id), id).toBe(true);
    } finally {
      await dispatcher.stop({ timeoutMs: 5000 });
      await dispatcherStorage.close();
      await receiver.close();
    }
  }, 55_000);
});

/** An event the seeded webhook accepts, distinct from the seeded ones. */
function lateEvent() {
  return {
    requestId: `late-${Math.random().toString(36).slice(2)}`,
    imsOrg: "myImsOrg",
    sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
    channel: "email" as const,
    messageExecution: {
      messageExecutionID: "HUMA-late",
      messageType: "transactional",
      campaignID: "16f24a15-7e21-477c-848a-d5695ca7f137",
      campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
    },
    messageDeliveryFeedback: { feedbackStatus: { value: "sent" as const }, retryCount: 0 },
    identityMap: { email: [{ id: "late@luma.com", primary: true }] },
  };
}
