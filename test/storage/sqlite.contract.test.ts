import { join } from "node:path";
import { describeStorageContract } from "../contract/describe-storage-contract.js";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { createManualClock } from "../../src/testing/manual-clock.js";
import { tempDir } from "./helpers/temp-dir.js";

// A real file in a temp dir, with the default (full) durability.
describeStorageContract("sqlite", async () => {
  const dir = tempDir();
  const clock = createManualClock();
  const storage = sqliteStorage({ filename: join(dir.path, "webhooks.db"), clock });
  return {
    storage,
    advance: (ms) => clock.advance(ms),
    async cleanup() {
      await storage.close();
      dir.remove();
    },
  };
});
