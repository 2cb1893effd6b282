import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Clock, systemClock } from "../../src/clock.js";
import { defaultIdempotencyKey } from "../../src/dispatcher/index.js";
import { createFeedbackEvent, type FeedbackEvent } from "../../src/schemas/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { NewDelivery, Storage } from "../../src/storage/storage.js";
import { createManualClock, type ManualClock } from "../../src/testing/manual-clock.js";
import { eventNo } from "./helpers/events.js";
import { startFaultServer } from "./helpers/fault-server.js";
import { recordFigures } from "./helpers/figures.js";
import { createRig, listAll, settle, settleRealTime } from "./helpers/harness.js";
import { DATABASE_URL, dropSchema, pgQuery, uniqueSchema } from "./helpers/postgres.js";
import { tempDir } from "./helpers/temp-dir.js";

const DAY = 86_400_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function delivery(configId: string): NewDelivery {
  const id = randomUUID();
  return {
    id,
    configId,
    orgId: "o",
    sandboxName: "prod",
    requestId: `req-${id}`,
    idempotencyKey: `key-${id}`,
    identities: [`${id}@example.com`],
    body: "{}",
  };
}

const attempt = (n: number, statusCode: number) => ({
  attempt: n,
  startedAt: new Date(),
  durationMs: 1,
  statusCode,
  ...(statusCode >= 300 && { error: `HTTP ${statusCode}` }),
});

/**
 * Puts three deliveries in each state a queue can hold at t = 0, moves time past both retentions,
 * adds fresh delivered and dead ones, and prunes in batches of 2: only the old delivered and dead
 * ones may go. `unit` is a time unit (a day on a manual clock, half a second of real time).
 */
async function pruneKeepsWhatIsDue(storage: Storage, unit: number, advance: (ms: number) => Promise<void>) {
  const opts = { idempotencyWindowMs: 100 * unit };
  const group = async (
    configId: string,
    then: (claimed: Awaited<ReturnType<Storage["claimDeliveries"]>>) => Promise<unknown>,
  ) => {
    const rows = [delivery(configId), delivery(configId), delivery(configId)];
    await storage.enqueueDeliveries(rows, opts);
    if (configId !== "held" && configId !== "due") {
      const others = ["a", "b", "held", "due"].filter((c) => c !== configId);
      await then(await storage.claimDeliveries({ limit: 3, leaseMs: 100 * unit, excludeConfigIds: others }));
    }
    return rows.map((r) => r.id);
  };
  const settleAll =
    (next: Parameters<Storage["settleDelivery"]>[2]["next"], code: number) =>
    (claimed: Awaited<ReturnType<Storage["claimDeliveries"]>>) =>
      Promise.all(claimed.map((c) => storage.settleDelivery(c.id, c.claimToken, { attempt: attempt(1, code), next })));

  const deliveredOld = await group("a", settleAll({ status: "delivered" }, 200));
  const deadOld = await group("a", settleAll({ status: "dead", reason: "max_attempts" }, 500));
  const retrying = await group("a", settleAll({ status: "pending", retryInMs: 10 * unit }, 503));
  const inFlight = await group("a", async () => undefined);
  await storage.suspendEndpoint("held", "gone");
  const held = await group("held", async () => undefined);
  const due = await group("due", async () => undefined);

  await advance(4 * unit);
  const deliveredNew = await group("b", settleAll({ status: "delivered" }, 200));
  const deadNew = await group("b", settleAll({ status: "dead", reason: "max_attempts" }, 500));

  let pruned = 0;
  for (let batch = 0; batch < 10; batch++) {
    const n = await storage.pruneDeliveries({ deliveredOlderThanMs: 2 * unit, deadOlderThanMs: 3 * unit, limit: 2 });
    expect(n).toBeLessThanOrEqual(2);
    pruned += n;
    if (n === 0) break;
  }
  expect(pruned).toBe(6);
  for (const id of [...deliveredOld, ...deadOld]) expect(await storage.getDelivery(id), id).toBeUndefined();
  const kept = { retrying, inFlight, held, due, deliveredNew, deadNew };
  const status = {
    retrying: "pending",
    inFlight: "in_flight",
    held: "pending",
    due: "pending",
    deliveredNew: "delivered",
    deadNew: "dead",
  };
  for (const [name, ids] of Object.entries(kept)) {
    for (const id of ids) {
      const d = await storage.getDelivery(id);
      expect(d?.status, `${name} ${id}`).toBe(status[name as keyof typeof status]);
      expect(d!.attemptLog).toHaveLength(d!.attempts);
    }
  }
  return { pruned, kept: Object.values(kept).flat().length };
}

describe("retention: pruning deletes old delivered and dead deliveries and keeps everything that is still due", () => {
  it("memory (injected clock)", async () => {
    const clock = createManualClock();
    const figures = await pruneKeepsWhatIsDue(memoryStorage({ clock }), DAY, async (ms) => clock.advance(ms));
    expect(figures).toEqual({ pruned: 6, kept: 18 });
  });

  it("SQLite (injected clock)", async () => {
    const dir = tempDir();
    const clock = createManualClock();
    const storage = sqliteStorage({ filename: join(dir.path, "webhooks.db"), clock });
    try {
      expect(await pruneKeepsWhatIsDue(storage, DAY, async (ms) => clock.advance(ms))).toEqual({ pruned: 6, kept: 18 });
    } finally {
      await storage.close();
      dir.remove();
    }
  });

  it.skipIf(DATABASE_URL === undefined)("PostgreSQL (the database's clock, half-second units)", async () => {
    const schema = uniqueSchema();
    const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
    try {
      expect(await pruneKeepsWhatIsDue(storage, 500, sleep)).toEqual({ pruned: 6, kept: 18 });
    } finally {
      await storage.close();
      await dropSchema(schema);
    }
  });
});

const ERASE = "erase.me@example.com";
// Neighbours that contain the erased address or are contained in it: they must survive.
const NEIGHBOURS = ["erase.me@example.com.au", "xerase.me@example.com", "rase.me@example.com"];
/** True when `text` holds the erased address itself, not merely a neighbour that contains it. */
const holdsErased = (text: string) => /(?<![\w.+-])erase\.me@example\.com(?![\w.-])/.test(text);

/** Events of the erased recipient (alone, and beside another identity) and of their neighbours. */
function erasureEvents(): FeedbackEvent[] {
  const inputs = [
    eventNo(0, { identityMap: { email: [{ id: ERASE, primary: true }] } }),
    eventNo(1, { identityMap: { email: [{ id: ERASE, primary: true }] } }),
    eventNo(2, {
      identityMap: { email: [{ id: ERASE, primary: true }], ecid: [{ id: "43650931000000000000000000000000000001" }] },
    }),
    ...NEIGHBOURS.map((id, i) => eventNo(10 + i, { identityMap: { email: [{ id, primary: true }] } })),
  ];
  return inputs.map((input) => createFeedbackEvent(input) as FeedbackEvent);
}

/** Every row of every table, as JSON text. */
type DumpTables = () => Promise<string>;

/**
 * Publishes the erased recipient's events to an endpoint that echoes the body in its answers (so
 * the attempt logs hold the address too), with a failure first; delivers; then purges the
 * recipient: no table may hold the address, nor the idempotency key derived from it, and the
 * neighbours' deliveries are untouched.
 */
async function purgeLeavesNoTrace(storage: Storage, clock: Clock, dump: DumpTables, label: string) {
  const server = await startFaultServer();
  try {
    // The endpoint echoes each delivery's recipient in its answers, so attempt logs hold it too.
    const recipientOf = new Map<string, string>();
    server.behave(({ nth, id }) => ({
      status: nth === 1 ? 500 : 200,
      body: `got it for ${recipientOf.get(id)}, thanks`,
    }));
    const rig = await createRig({
      url: server.url,
      storage,
      clock,
      dispatcher: { leaseMs: 60_000, timeoutMs: 1000, retry: { schedule: [0, 0] } },
    });
    const events = erasureEvents();
    const results = await rig.dispatcher.publishMany(events);
    const ids = results.map((r) => (r as { deliveryId: string }).deliveryId);
    for (const [i, id] of ids.entries()) recipientOf.set(id, events[i]!.identityMap.email![0]!.id);
    if ("advance" in clock) await settle(rig as unknown as Parameters<typeof settle>[0]);
    else await settleRealTime(rig);
    expect(holdsErased(await dump())).toBe(true);

    expect(await rig.dispatcher.purge({ identity: ERASE })).toBe(3);
    const after = await dump();
    expect(holdsErased(after)).toBe(false);
    for (const neighbour of NEIGHBOURS) expect(after).toContain(neighbour);
    for (const event of events.slice(0, 3)) expect(after).not.toContain(defaultIdempotencyKey(event));
    for (const id of ids.slice(0, 3)) expect(after).not.toContain(id);
    for (const [i, id] of ids.slice(3).entries()) {
      const d = await storage.getDelivery(id);
      expect(d, NEIGHBOURS[i]).toMatchObject({ status: "delivered", attempts: 2 });
      expect(d!.identities).toEqual([NEIGHBOURS[i]]);
    }
    // Logs and hooks never held it either (the dispatcher redacts addresses).
    expect(holdsErased(JSON.stringify(rig.logger.lines))).toBe(false);
    await rig.dispatcher.stop();
    recordFigures({
      scenario: `purge({ identity }) (${label})`,
      sent: events.length,
      delivered: events.length,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: `3 deliveries of the recipient purged (attempt logs echoed the address); ${NEIGHBOURS.length} neighbours kept; no table holds the address or its idempotency keys`,
    });
  } finally {
    await server.close();
  }
}

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("erasure: purge({ identity }) leaves no trace of the recipient in any table, and only theirs is erased", () => {
  it("memory", async () => {
    const clock: ManualClock = createManualClock();
    const storage = memoryStorage({ clock });
    const dump = async () => JSON.stringify(await listAll(storage));
    await purgeLeavesNoTrace(storage, clock, dump, "memory");
  });

  it("SQLite: every table, and the database and WAL files' bytes", async () => {
    const dir = tempDir();
    cleanup.push(() => dir.remove());
    const clock = createManualClock();
    const file = join(dir.path, "webhooks.db");
    const storage = sqliteStorage({ filename: file, clock });
    cleanup.push(() => storage.close());
    const dump = async () => {
      const side = new Database(file, { readonly: true });
      try {
        const tables = side.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
        return tables.map((t) => JSON.stringify(side.prepare(`SELECT * FROM "${t}"`).all())).join("\n");
      } finally {
        side.close();
      }
    };
    await purgeLeavesNoTrace(storage, clock, dump, "SQLite");
    for (const name of ["webhooks.db", "webhooks.db-wal"]) {
      let bytes = Buffer.alloc(0);
      try {
        bytes = readFileSync(join(dir.path, name));
      } catch {}
      expect(holdsErased(bytes.toString("latin1")), name).toBe(false);
    }
  });

  it.skipIf(DATABASE_URL === undefined)("PostgreSQL: every table of the schema", async () => {
    const schema = uniqueSchema();
    const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
    cleanup.push(() => dropSchema(schema).then(() => undefined));
    cleanup.push(() => storage.close());
    const dump = async () => {
      const tables = await pgQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [
        schema,
      ]);
      const parts: string[] = [];
      for (const { table_name } of tables.rows) {
        parts.push(JSON.stringify((await pgQuery(`SELECT * FROM "${schema}"."${table_name}"`)).rows));
      }
      return parts.join("\n");
    };
    await purgeLeavesNoTrace(storage, systemClock, dump, "PostgreSQL");
  });
});
