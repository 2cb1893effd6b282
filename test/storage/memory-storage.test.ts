import { describe, expect, it } from "vitest";
import { memoryStorage } from "../../src/storage/memory/index.js";
import type { AttemptRecord, NewDelivery } from "../../src/storage/storage.js";
import { createManualClock } from "../../src/testing/manual-clock.js";

const WINDOW = { idempotencyWindowMs: 86_400_000 };

function delivery(id: string): NewDelivery {
  return {
    id,
    configId: "c-1",
    orgId: "o",
    sandboxName: "prod",
    requestId: `r-${id}`,
    idempotencyKey: `k-${id}`,
    identities: ["a@example.com"],
    body: '{"channel":"email"}',
  };
}

describe("memoryStorage", () => {
  it("shares no mutable state with its callers: what goes in and what comes out are copies", async () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const storage = memoryStorage({ clock });
    const given = delivery("d-1");
    await storage.enqueueDeliveries([given], WINDOW);
    given.identities.push("changed@example.com");

    const [lease] = await storage.claimDeliveries({ limit: 1, leaseMs: 60_000 });
    lease!.identities.push("changed@example.com");
    lease!.createdAt.setTime(0);
    lease!.availableAt.setTime(0);
    const attempt: AttemptRecord = { attempt: 1, startedAt: new Date(clock.now()), durationMs: 5, statusCode: 204 };
    expect(await storage.settleDelivery(lease!.id, lease!.claimToken, { attempt, next: { status: "delivered" } })).toBe(
      true,
    );
    attempt.startedAt.setTime(0);
    attempt.statusCode = 500;

    const read = await storage.getDelivery("d-1");
    read!.attemptLog[0]!.startedAt.setTime(0);
    read!.attemptLog.push({ ...attempt });
    read!.deliveredAt!.setTime(0);
    read!.identities.length = 0;

    const [listed] = await storage.listDeliveries({ limit: 1 });
    for (const stored of [await storage.getDelivery("d-1"), listed]) {
      expect(stored).toMatchObject({
        status: "delivered",
        identities: ["a@example.com"],
        createdAt: new Date(Date.UTC(2025, 0, 1)),
        deliveredAt: new Date(Date.UTC(2025, 0, 1)),
        attemptLog: [{ attempt: 1, startedAt: new Date(Date.UTC(2025, 0, 1)), durationMs: 5, statusCode: 204 }],
      });
      expect(stored).not.toHaveProperty("claimToken");
    }
  });

  it("claims a retry, a released claim and an expired lease by (due time, id) among new deliveries", async () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const storage = memoryStorage({ clock });
    await storage.enqueueDeliveries(["d-3", "d-1", "d-2"].map(delivery), WINDOW);
    const [first] = await storage.claimDeliveries({ limit: 1, leaseMs: 1_000 });
    expect(first!.id).toBe("d-1");
    const [second] = await storage.claimDeliveries({ limit: 1, leaseMs: 5_000 });
    expect(second!.id).toBe("d-2");
    // d-2 back at once, due now; d-1's lease expires after d-4 and d-5 were enqueued.
    await storage.settleDelivery(second!.id, second!.claimToken, { next: { status: "pending", retryInMs: 0 } });
    clock.advance(500);
    await storage.enqueueDeliveries([delivery("d-5")], WINDOW);
    clock.advance(500);
    await storage.enqueueDeliveries([delivery("d-4")], WINDOW);
    const claimed = await storage.claimDeliveries({ limit: 10, leaseMs: 60_000 });
    expect(claimed.map((d) => d.id)).toEqual(["d-2", "d-3", "d-5", "d-1", "d-4"]);
  });

  it("leaves candidates a capped claim did not lease claimable, in order", async () => {
    const storage = memoryStorage({ clock: createManualClock(Date.UTC(2025, 0, 1)) });
    const other = (id: string) => ({ ...delivery(id), configId: "c-2" });
    await storage.enqueueDeliveries(
      [delivery("a-1"), delivery("a-2"), other("b-1"), delivery("a-3"), other("b-2")],
      WINDOW,
    );
    const round = async () =>
      (await storage.claimDeliveries({ limit: 2, leaseMs: 60_000, perConfigLimit: 1 })).map((d) => d.id);
    expect(await round()).toEqual(["a-1", "b-1"]);
    expect(await round()).toEqual(["a-2", "b-2"]);
    expect(await round()).toEqual(["a-3"]);
    expect(await round()).toEqual([]);
  });
});
