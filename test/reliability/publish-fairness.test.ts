import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sqliteStorage } from "../../src/storage/sqlite/index.js";
import { eventNo } from "./helpers/events.js";
import { createRig } from "./helpers/harness.js";
import { tempDir } from "./helpers/temp-dir.js";

describe("publishing on SQLite and the process's own event loop", () => {
  it("a loop of awaited publishMany calls lets timers and I/O run in between (else the worker's attempts in flight time out and are sent again)", async () => {
    const dir = tempDir();
    const storage = sqliteStorage({ filename: join(dir.path, "fairness.db"), durability: "normal" });
    try {
      const rig = await createRig({ url: "https://hooks.example.com/feedback", storage });
      const started = Date.now();
      let firedAfterMs: number | undefined;
      setTimeout(() => {
        firedAfterMs = Date.now() - started;
      }, 0);
      for (let from = 0; from < 10_000; from += 500) {
        await rig.dispatcher.publishMany(Array.from({ length: 500 }, (_, i) => eventNo(from + i)));
      }
      const loopMs = Date.now() - started;
      // A timer due at once ran while the loop went on, not only after it.
      expect(firedAfterMs, `the loop took ${loopMs} ms`).toBeDefined();
      expect(firedAfterMs!).toBeLessThan(Math.max(250, loopMs / 4));
      await rig.dispatcher.stop();
    } finally {
      await storage.close();
      dir.remove();
    }
  });
});
