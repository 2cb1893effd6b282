import { memoryStorage } from "../../src/storage/memory/index.js";
import { createManualClock } from "../../src/testing/manual-clock.js";
import { describeStorageContract } from "./describe-storage-contract.js";

describeStorageContract("memory", async () => {
  const clock = createManualClock();
  const storage = memoryStorage({ clock });
  return { storage, advance: (ms) => clock.advance(ms), cleanup: () => storage.close() };
});
