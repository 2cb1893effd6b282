import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { type ChildDispatcher, startChildDispatcher } from "./helpers/child-dispatcher.js";
import { type CountingReceiver, startCountingReceiver } from "./helpers/counting-receiver.js";
import { DATABASE_URL, dropSchema, skipPostgres, uniqueSchema } from "./helpers/postgres.js";
import { seedEvents } from "./helpers/seed-events.js";
import { tempDir } from "./helpers/temp-dir.js";

// The full count with FW_SOAK=1; a smaller one in every `npm test`.
const EVENTS = process.env.FW_SOAK === "1" ? 1000 : 300;
const LEASE_MS = 8000;
const BUDGET_MS = process.env.FW_SOAK === "1" ? 120_000 : 60_000;

async function countDelivered(storage: Storage): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await storage.listDeliveries({ status: "delivered", limit: 1000, cursor });
    count += page.length;
    if (page.length < 1000) return count;
    cursor = page.at(-1)!.id;
  }
}

/**
 * Publishes EVENTS, lets child A deliver about a third, SIGKILLs it, then lets child B (same
 * database) finish. Every event must arrive at least once, and only deliveries that A held at
 * the kill may arrive twice.
 */
async function crashAndRecover(storage: Storage, env: Record<string, string>, receiver: CountingReceiver) {
  const ids = await seedEvents(storage, receiver.url, EVENTS);
  const childEnv = { ...env, FW_CHILD_LEASE_MS: String(LEASE_MS), FW_CHILD_TIMEOUT_MS: "2000" };
  const a = await startChildDispatcher(childEnv);
  children.push(a);
  await receiver.waitForDistinct(Math.floor(EVENTS / 3), 30_000);
  await a.kill();
  const heldAtKill = new Set((await storage.listDeliveries({ status: "in_flight", limit: 10_000 })).map((d) => d.id));
  const seenAtKill = receiver.counts.size;
  expect(seenAtKill).toBeLessThan(EVENTS); // the kill landed mid-run

  const b = await startChildDispatcher(childEnv);
  children.push(b);
  await receiver.waitForDistinct(EVENTS, BUDGET_MS - 20_000);
  const deadline = Date.now() + 20_000;
  while ((await countDelivered(storage)) < EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(await b.stop()).toBe(0);

  expect(await countDelivered(storage)).toBe(EVENTS);
  expect([...receiver.counts.keys()].sort()).toEqual([...ids].sort());
  const duplicates = [...receiver.counts].filter(([, n]) => n > 1).map(([id]) => id);
  for (const id of duplicates) expect(heldAtKill.has(id), `${id} arrived twice but was not in flight`).toBe(true);
  for (const [, n] of receiver.counts) expect(n).toBeLessThanOrEqual(2);
}

let children: ChildDispatcher[] = [];
let receiver: CountingReceiver;
afterEach(async () => {
  for (const child of children) if (child.process.exitCode === null) await child.kill();
  children = [];
  await receiver?.close();
});

describe("crash recovery: SIGKILL in the middle of delivering", () => {
  it(
    `SQLite file: a new process finishes ${EVENTS} events, none lost`,
    async () => {
      const dir = tempDir();
      const file = join(dir.path, "webhooks.db");
      const storage = sqliteStorage({ filename: file });
      receiver = await startCountingReceiver({ delayMs: 10 });
      try {
        await crashAndRecover(storage, { FW_CHILD_SQLITE: file }, receiver);
      } finally {
        await storage.close();
        dir.remove();
      }
    },
    BUDGET_MS,
  );

  it.skipIf(skipPostgres("crash-recovery.test.ts"))(
    `PostgreSQL: a new process finishes ${EVENTS} events, none lost`,
    async () => {
      const schema = uniqueSchema();
      const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
      receiver = await startCountingReceiver({ delayMs: 10 });
      try {
        await crashAndRecover(storage, { FW_CHILD_DATABASE_URL: DATABASE_URL!, FW_CHILD_SCHEMA: schema }, receiver);
      } finally {
        await storage.close();
        await dropSchema(schema);
      }
    },
    BUDGET_MS,
  );
});
