import { afterEach, describe, expect, it } from "vitest";
import { memoryStorage } from "../../src/storage/memory/index.js";
import type { SettleItem, Settlement, Storage } from "../../src/storage/storage.js";
import { createManualClock } from "../../src/testing/manual-clock.js";
import { type FaultServer, startFaultServer } from "./helpers/fault-server.js";
import { createRig } from "./helpers/harness.js";

let server: FaultServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Counts settlements that give a claim back without an attempt (leased for nothing). */
function countingGiveBacks(inner: Storage): Storage & { giveBacks: () => number } {
  let giveBacks = 0;
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "giveBacks") return () => giveBacks;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (property === "settleDelivery" && (args[2] as Settlement).attempt === undefined) giveBacks += 1;
        if (property === "settleDeliveries") {
          giveBacks += (args[0] as SettleItem[]).filter((item) => item.settlement.attempt === undefined).length;
        }
        return value.apply(target, args);
      };
    },
  }) as Storage & { giveBacks: () => number };
}

describe("the worker's claim round", () => {
  it("leases no more deliveries of one endpoint than it can start (no lease-then-give-back churn, which cost 28 writes per round and ~40 % of single-endpoint throughput)", async () => {
    server = await startFaultServer();
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const storage = countingGiveBacks(memoryStorage({ clock }));
    // The defaults: 32 attempts in flight per process, 4 per endpoint.
    const rig = await createRig({ url: server.url, storage, clock });
    await rig.publish(100);
    expect(await rig.dispatcher.runOnce()).toBe(4);
    expect(storage.giveBacks(), "claims given back untried").toBe(0);
    await rig.dispatcher.stop();
  });
});
