import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLeaseRenewer } from "../../src/dispatcher/lease-renewer.js";
import type { ClaimedDelivery } from "../../src/storage/storage.js";

const LEASE_MS = 600;

function claimed(id: string): ClaimedDelivery {
  const at = new Date(0);
  return {
    id,
    configId: "c-1",
    orgId: "o",
    sandboxName: "prod",
    requestId: "r",
    idempotencyKey: `k-${id}`,
    identities: [],
    body: "{}",
    status: "in_flight",
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    availableAt: at,
    roundStartedAt: at,
    roundAttemptBase: 0,
    claimToken: `t-${id}`,
  };
}

function rig(answer: () => Promise<boolean> = async () => true) {
  const renewals: Array<{ id: string; claimToken: string; leaseMs: number; at: number }> = [];
  const lost: string[] = [];
  const errors: Array<{ error: unknown; deliveryId: string }> = [];
  const renewer = createLeaseRenewer({
    storage: {
      renewLease: (id, claimToken, leaseMs) => {
        renewals.push({ id, claimToken, leaseMs, at: performance.now() });
        return answer();
      },
    },
    leaseMs: LEASE_MS,
    onLost: (deliveryId) => lost.push(deliveryId),
    onError: (error, deliveryId) => errors.push({ error, deliveryId }),
  });
  return { renewer, renewals, lost, errors };
}

describe("createLeaseRenewer", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("renews a held lease between a third and a half of its length after the last renewal, with its token", async () => {
    const { renewer, renewals } = rig();
    const start = performance.now();
    renewer.hold(claimed("d-1"));
    await vi.advanceTimersByTimeAsync(LEASE_MS / 3 - 1);
    expect(renewals).toEqual([]);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 6 + 1);
    expect(renewals).toHaveLength(1);
    expect(renewals[0]).toMatchObject({ id: "d-1", claimToken: "t-d-1", leaseMs: LEASE_MS });
    await vi.advanceTimersByTimeAsync(3 * LEASE_MS);
    const gaps = renewals.map((r, i) => r.at - (i === 0 ? start : renewals[i - 1]!.at));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(LEASE_MS / 3);
      expect(gap).toBeLessThanOrEqual(LEASE_MS / 2);
    }
    expect(renewals.length).toBeGreaterThanOrEqual(6);
  });

  it("runs one timer for every lease held, and none once all are released", async () => {
    const { renewer, renewals } = rig();
    const a = claimed("a");
    const b = claimed("b");
    renewer.hold(a);
    renewer.hold(b);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 2);
    expect(renewals.map((r) => r.id).sort()).toEqual(["a", "b"]);
    renewer.release(a);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 3);
    expect(renewals.map((r) => r.id).sort()).toEqual(["a", "b", "b"]);
    renewer.release(b);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * LEASE_MS);
    expect(renewals).toHaveLength(3);
  });

  it("tells when the storage refused a renewal (the lease was lost) and when it failed", async () => {
    const refused = rig(async () => false);
    refused.renewer.hold(claimed("gone"));
    await vi.advanceTimersByTimeAsync(LEASE_MS / 2);
    expect(refused.lost).toEqual(["gone"]);
    refused.renewer.release(claimed("gone"));

    const failure = new Error("storage down");
    const failing = rig(() => Promise.reject(failure));
    const d = claimed("d-2");
    failing.renewer.hold(d);
    await vi.advanceTimersByTimeAsync(LEASE_MS / 2);
    expect(failing.errors).toEqual([{ error: failure, deliveryId: "d-2" }]);
    expect(failing.lost).toEqual([]);
    failing.renewer.release(d);
  });
});
