// A dispatcher process for the crash and multi-process tests, started with `node --import tsx`.
// Storage: FW_CHILD_SQLITE (a file) or FW_CHILD_DATABASE_URL + FW_CHILD_SCHEMA. Prints "ready"
// once delivering; on SIGTERM stops gracefully and exits 0. SIGKILL is the point of the tests.
import { createDispatcher } from "../../../src/dispatcher/index.js";
import type { Storage } from "../../../src/storage/storage.js";

async function openStorage(): Promise<Storage> {
  const file = process.env.FW_CHILD_SQLITE;
  if (file !== undefined) {
    const { sqliteStorage } = await import("../../../src/storage/sqlite/index.js");
    return sqliteStorage({ filename: file });
  }
  const { postgresStorage } = await import("../../../src/storage/postgres/index.js");
  return postgresStorage({ connectionString: process.env.FW_CHILD_DATABASE_URL!, schema: process.env.FW_CHILD_SCHEMA });
}

const storage = await openStorage();
const dispatcher = createDispatcher({
  storage,
  allowPrivateNetworks: true,
  timeoutMs: Number(process.env.FW_CHILD_TIMEOUT_MS ?? 1000),
  leaseMs: Number(process.env.FW_CHILD_LEASE_MS ?? 4000),
  pollIntervalMs: 20,
  // A realistic shape: the global limit above the per-endpoint one, with one endpoint. Claims
  // respect the per-endpoint limit (`perConfigLimit`), so nothing is claimed only to be given back.
  concurrency: { global: 16, perEndpoint: 8 },
  logger: { info() {}, warn() {}, error: (_fields, message) => console.error(message) },
});
dispatcher.start();
process.stdout.write("ready\n");
process.once("SIGTERM", async () => {
  await dispatcher.stop({ timeoutMs: 5000 });
  await storage.close();
  process.exit(0);
});
