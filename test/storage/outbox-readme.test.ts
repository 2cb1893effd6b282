import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { DATABASE_URL, dropSchema, skipPostgres, uniqueSchema } from "./helpers/postgres.js";
import { configureWebhook } from "./helpers/seed-events.js";
import { tempDir } from "./helpers/temp-dir.js";

const event = (requestId: string) => ({
  requestId,
  imsOrg: "myImsOrg",
  sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
  channel: "email" as const,
  messageExecution: {
    messageExecutionID: "HUMA-26362805",
    messageType: "transactional",
    campaignID: "16f24a15-7e21-477c-848a-d5695ca7f137",
    campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
  },
  messageDeliveryFeedback: { feedbackStatus: { value: "sent" as const }, retryCount: 0 },
  identityMap: { email: [{ id: "john.doe@luma.com", primary: true }] },
});

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("README example: publish inside the application's own transaction", () => {
  it("SQLite: the application's better-sqlite3 handle on the same file", async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const file = join(dir.path, "app.db");
    const storage = sqliteStorage({ filename: file });
    cleanups.push(() => storage.close());
    await configureWebhook(storage, "http://127.0.0.1:9/hook");
    const dispatcher = createDispatcher({ storage, allowPrivateNetworks: true });
    cleanups.push(() => dispatcher.stop());

    const db = new Database(file);
    cleanups.push(() => db.close());
    db.exec("CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY)");
    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO orders (id) VALUES (?)").run("o-1");
    const kept = await dispatcher.publish(event("req-kept"), { tx: db });
    db.exec("COMMIT");

    db.exec("BEGIN IMMEDIATE");
    db.prepare("INSERT INTO orders (id) VALUES (?)").run("o-2");
    const dropped = await dispatcher.publish(event("req-dropped"), { tx: db });
    db.exec("ROLLBACK");

    expect(await dispatcher.deliveries.get((kept as { deliveryId: string }).deliveryId)).toBeDefined();
    expect(await dispatcher.deliveries.get((dropped as { deliveryId: string }).deliveryId)).toBeUndefined();
  });

  it.skipIf(skipPostgres("outbox-readme.test.ts"))(
    "PostgreSQL: a pg client on which the application ran BEGIN",
    async () => {
      const schema = uniqueSchema();
      const pool = new pg.Pool({ connectionString: DATABASE_URL });
      cleanups.push(
        () => dropSchema(schema),
        () => pool.end(),
      );
      const storage = postgresStorage({ pool, schema });
      cleanups.push(() => storage.close());
      await configureWebhook(storage, "http://127.0.0.1:9/hook");
      const dispatcher = createDispatcher({ storage, allowPrivateNetworks: true });
      cleanups.push(() => dispatcher.stop());
      await pool.query(`CREATE TABLE "${schema}".orders (id text PRIMARY KEY)`);

      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(`INSERT INTO "${schema}".orders (id) VALUES ($1)`, ["o-1"]);
        const kept = await dispatcher.publish(event("req-kept"), { tx: client });
        await client.query("COMMIT");
        await client.query("BEGIN");
        const dropped = await dispatcher.publish(event("req-dropped"), { tx: client });
        await client.query("ROLLBACK");
        expect(await dispatcher.deliveries.get((kept as { deliveryId: string }).deliveryId)).toBeDefined();
        expect(await dispatcher.deliveries.get((dropped as { deliveryId: string }).deliveryId)).toBeUndefined();
      } finally {
        client.release();
      }
    },
  );
});
