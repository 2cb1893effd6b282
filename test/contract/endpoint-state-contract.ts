import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StorageFactory, StorageHarness } from "./storage-harness.js";

const policy = { pauseAfter: 3, pauseMs: 500 };

/** Circuit breaker and auto-disable state: the endpoint part of the storage contract. */
export function describeEndpointStateContract(factory: StorageFactory): void {
  describe("endpoint state", () => {
    let h: StorageHarness;
    beforeEach(async () => {
      h = await factory();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it("starts fresh and is not listed", async () => {
      expect(await h.storage.getEndpointState("c-1")).toEqual({ configId: "c-1", consecutiveFailures: 0 });
      expect(await h.storage.listEndpointStates()).toEqual([]);
    });

    it("counts consecutive failures and pauses at the threshold", async () => {
      const first = await h.storage.recordEndpointFailure("c-1", policy);
      expect(first).toMatchObject({ configId: "c-1", consecutiveFailures: 1 });
      expect(first.pausedUntil).toBeUndefined();
      await h.advance(50);
      await h.storage.recordEndpointFailure("c-1", policy);
      const third = await h.storage.recordEndpointFailure("c-1", policy);
      expect(third.consecutiveFailures).toBe(3);
      expect(third.failingSince).toEqual(first.failingSince);
      expect(third.pausedUntil!.getTime() - third.failingSince!.getTime()).toBeGreaterThanOrEqual(550);
      expect(await h.storage.listEndpointStates()).toEqual([third]);
    });

    it("counts 20 concurrent failures without losing one", async () => {
      await Promise.all(Array.from({ length: 20 }, () => h.storage.recordEndpointFailure("c-1", policy)));
      expect((await h.storage.getEndpointState("c-1")).consecutiveFailures).toBe(20);
    });

    it("resets the failure streak on success but keeps a suspension", async () => {
      for (let i = 0; i < 3; i++) await h.storage.recordEndpointFailure("c-1", policy);
      await h.storage.recordEndpointSuccess("c-1");
      expect(await h.storage.getEndpointState("c-1")).toEqual({ configId: "c-1", consecutiveFailures: 0 });
      await h.storage.suspendEndpoint("c-1", "gone");
      await h.storage.recordEndpointSuccess("c-1");
      const state = await h.storage.getEndpointState("c-1");
      expect(state).toMatchObject({ configId: "c-1", consecutiveFailures: 0, suspendedReason: "gone" });
      expect(state.suspendedAt).toBeInstanceOf(Date);
      await h.storage.recordEndpointSuccess("c-unknown");
      expect(await h.storage.listEndpointStates()).toHaveLength(1);
    });

    it("resumes a suspended endpoint by clearing its whole state", async () => {
      await h.storage.recordEndpointFailure("c-1", policy);
      await h.storage.suspendEndpoint("c-1", "outage");
      expect((await h.storage.getEndpointState("c-1")).suspendedReason).toBe("outage");
      await h.storage.resumeEndpoint("c-1");
      expect(await h.storage.getEndpointState("c-1")).toEqual({ configId: "c-1", consecutiveFailures: 0 });
      expect(await h.storage.listEndpointStates()).toEqual([]);
    });
  });
}
