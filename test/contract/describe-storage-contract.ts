import { describe } from "vitest";
import { describeClaimConfigVersionContract } from "./claim-config-version-contract.js";
import { describeConfigContract } from "./config-contract.js";
import { describeDeliveryAdminContract } from "./delivery-admin-contract.js";
import { describeDeliveryQueueContract } from "./delivery-queue-contract.js";
import { describeEndpointStateContract } from "./endpoint-state-contract.js";
import type { StorageFactory } from "./storage-harness.js";

export { configRecord, newDelivery, type StorageFactory, type StorageHarness } from "./storage-harness.js";

/**
 * The shared storage contract: every adapter (memory, SQLite, PostgreSQL) runs it.
 *
 * @example
 * ```ts
 * // test/contract/memory.contract.test.ts
 * describeStorageContract("memory", async () => {
 *   const clock = createManualClock();
 *   return { storage: memoryStorage({ clock }), advance: (ms) => clock.advance(ms), cleanup: async () => {} };
 * });
 * ```
 */
export function describeStorageContract(name: string, factory: StorageFactory): void {
  describe(`storage contract: ${name}`, () => {
    describeConfigContract(factory);
    describeDeliveryQueueContract(factory);
    describeClaimConfigVersionContract(factory);
    describeDeliveryAdminContract(factory);
    describeEndpointStateContract(factory);
  });
}
