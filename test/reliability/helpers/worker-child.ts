// A dispatcher worker in its own process, for the SIGSTOP test: started with `node --import tsx`.
// Storage: FW_REL_SQLITE (a file) or FW_REL_DATABASE_URL + FW_REL_SCHEMA. Writes one JSON line per
// hook event and per warning to stdout, and `{"ready":true}` once it delivers. SIGTERM stops it.
import { createDispatcher } from "../../../src/dispatcher/index.js";
import type { Storage } from "../../../src/storage/storage.js";

const line = (value: object): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

async function openStorage(): Promise<Storage> {
  const file = process.env.FW_REL_SQLITE;
  if (file !== undefined) {
    const { sqliteStorage } = await import("../../../src/storage/sqlite/index.js");
    return sqliteStorage({ filename: file });
  }
  const { postgresStorage } = await import("../../../src/storage/postgres/index.js");
  return postgresStorage({ connectionString: process.env.FW_REL_DATABASE_URL!, schema: process.env.FW_REL_SCHEMA });
}

const storage = await openStorage();
const dispatcher = createDispatcher({
  storage,
  allowPrivateNetworks: true,
  timeoutMs: Number(process.env.FW_REL_TIMEOUT_MS ?? 500),
  leaseMs: Number(process.env.FW_REL_LEASE_MS ?? 2000),
  pollIntervalMs: 20,
  hooks: {
    onAttempt: ({ delivery, attempt }) => line({ hook: "onAttempt", id: delivery.id, statusCode: attempt.statusCode }),
    onDelivered: ({ delivery }) => line({ hook: "onDelivered", id: delivery.id }),
    onError: ({ operation, deliveryId }) => line({ hook: "onError", operation, id: deliveryId }),
  },
  logger: {
    info: () => {},
    warn: (fields, message) => line({ log: "warn", message, id: (fields as { deliveryId?: string }).deliveryId }),
    error: (_fields, message) => line({ log: "error", message }),
  },
});
dispatcher.start();
line({ ready: true });
process.once("SIGTERM", async () => {
  await dispatcher.stop({ timeoutMs: 5000 });
  await storage.close();
  process.exit(0);
});
