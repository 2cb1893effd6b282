import { describe } from "vitest";
import { describeStorageContract } from "../contract/describe-storage-contract.js";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { DATABASE_URL, dropSchema, skipPostgres, sleep, uniqueSchema } from "./helpers/postgres.js";

// A real server; each test gets a schema of its own. Time is the database's `now()`, so the
// harness advances it by really waiting (the suite never asks for more than ~1 s at once).
describe.skipIf(skipPostgres("postgres.contract.test.ts"))("postgres", () => {
  describeStorageContract("postgres", async () => {
    const schema = uniqueSchema();
    const storage = postgresStorage({ connectionString: DATABASE_URL!, schema });
    return {
      storage,
      advance: (ms) => sleep(ms),
      async cleanup() {
        await storage.close();
        await dropSchema(schema);
      },
    };
  });
});
