import { afterAll, describe, expect, it } from "vitest";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { type ChildDispatcher, startChildDispatcher } from "./helpers/child-dispatcher.js";
import { type CountingReceiver, startCountingReceiver } from "./helpers/counting-receiver.js";
import { DATABASE_URL, dropSchema, skipPostgres, uniqueSchema } from "./helpers/postgres.js";
import { seedEvents } from "./helpers/seed-events.js";

// The full count with FW_SOAK=1; a smaller one in every `npm test`.
const EVENTS = process.env.FW_SOAK === "1" ? 5000 : 300;
const PROCESSES = 3;
const BUDGET_MS = process.env.FW_SOAK === "1" ? 170_000 : 60_000;

describe.skipIf(skipPostgres("postgres-multi-dispatcher.test.ts"))(
  "several dispatcher processes, one PostgreSQL",
  () => {
    const schema = uniqueSchema();
    const children: ChildDispatcher[] = [];
    let receiver: CountingReceiver | undefined;
    afterAll(async () => {
      for (const child of children) if (child.process.exitCode === null) await child.kill();
      await receiver?.close();
      await dropSchema(schema);
    });

    it(
      `deliver ${EVENTS} events: zero lost, zero delivered twice (counted by webhook-id)`,
      async () => {
        const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
        receiver = await startCountingReceiver({ delayMs: 2 });
        const ids = await seedEvents(storage, receiver.url, EVENTS);
        // Generous timeout and lease: nothing is killed here, so any duplicate would be a claim bug.
        const env = {
          FW_CHILD_DATABASE_URL: DATABASE_URL!,
          FW_CHILD_SCHEMA: schema,
          FW_CHILD_TIMEOUT_MS: "5000",
          FW_CHILD_LEASE_MS: "30000",
        };
        children.push(...(await Promise.all(Array.from({ length: PROCESSES }, () => startChildDispatcher(env)))));
        await receiver.waitForDistinct(EVENTS, BUDGET_MS - 10_000);
        for (const child of children) expect(await child.stop(), child.stderr()).toBe(0);

        expect([...receiver.counts.keys()].sort()).toEqual([...ids].sort());
        expect([...receiver.counts.values()].filter((n) => n > 1)).toEqual([]);
        expect(receiver.total()).toBe(EVENTS);
        const backlog = await storage.deliveryBacklog();
        expect(backlog.reduce((sum, b) => sum + b.pending + b.inFlight + b.dead, 0)).toBe(0);
        await storage.close();
      },
      BUDGET_MS,
    );
  },
);
