import { describe, expect, it, vi } from "vitest";
import { PayloadValidationError } from "../../src/errors.js";
import { createFeedbackEvent } from "../../src/schemas/index.js";
import { eventInput, ORG, SANDBOX, setup } from "./helpers.js";

describe("publish", () => {
  it("enqueues the exact JSON of the validated event and returns the delivery id", async () => {
    const { dispatcher, config } = await setup();
    const result = await dispatcher.publish(eventInput());
    expect(result).toMatchObject({ status: "enqueued", duplicate: false });
    if (result.status !== "enqueued") throw new Error("enqueued expected");
    const delivery = await dispatcher.deliveries.get(result.deliveryId);
    expect(delivery).toMatchObject({
      status: "pending",
      configId: config.id,
      orgId: ORG,
      requestId: eventInput().requestId,
    });
    expect(delivery!.body).toBe(JSON.stringify(createFeedbackEvent(eventInput())));
    expect(delivery!.identities).toEqual(["john.doe@luma.com"]);
  });

  it("refuses an invalid event with every problem listed, enqueueing nothing", async () => {
    const { dispatcher, storage } = await setup();
    const bad = { ...eventInput(), channel: "fax", imsOrg: "" } as never;
    const error = await dispatcher.publish(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).issues.length).toBeGreaterThanOrEqual(2);
    expect(await storage.listDeliveries({ limit: 10 })).toEqual([]);
  });

  it("prefixes problems of publishMany with the event's index", async () => {
    const { dispatcher } = await setup();
    const error = await dispatcher
      .publishMany([eventInput(), { ...eventInput(), imsOrg: "" }])
      .catch((e: unknown) => e);
    expect((error as PayloadValidationError).issues[0]!.path).toBe("[1].imsOrg");
  });

  it.each([
    ["no_config", { imsOrg: "otherOrg" }, {}],
    ["disabled", {}, { enabled: false }],
    ["channel_not_subscribed", {}, { channels: ["sms" as const] }],
    [
      "campaign_not_enabled",
      { messageExecution: { ...eventInput().messageExecution, campaignID: "other-campaign" } },
      {},
    ],
  ])("skips with reason %s", async (reason, eventChange, configChange) => {
    const { dispatcher, storage } = await setup({}, configChange);
    expect(await dispatcher.publish(eventInput(eventChange))).toEqual({ status: "skipped", reason });
    expect(await storage.listDeliveries({ limit: 10 })).toEqual([]);
  });

  it("enqueues the same event once (same idempotency key), and again for another retryCount", async () => {
    const { dispatcher } = await setup();
    const first = await dispatcher.publish(eventInput());
    const again = await dispatcher.publish(eventInput());
    expect(again).toEqual({ ...first, duplicate: true });
    const feedback = { ...eventInput().messageDeliveryFeedback, retryCount: 1 };
    const retried = await dispatcher.publish(eventInput({ messageDeliveryFeedback: feedback }));
    expect(retried).toMatchObject({ status: "enqueued", duplicate: false });
    expect(retried).not.toEqual(first);
  });

  it("forgets the idempotency key after the window", async () => {
    const { dispatcher, clock } = await setup({ idempotencyWindowMs: 60_000 });
    const first = await dispatcher.publish(eventInput());
    clock.advance(60_001);
    const later = await dispatcher.publish(eventInput());
    expect(later).toMatchObject({ duplicate: false });
    expect(later).not.toEqual(first);
  });

  it("takes an explicit idempotency key or a custom derivation", async () => {
    const { dispatcher } = await setup({ idempotencyKey: (event) => event.requestId });
    const a = await dispatcher.publish(eventInput());
    const b = await dispatcher.publish(
      eventInput({ messageExecution: { ...eventInput().messageExecution, messageExecutionID: "X" } }),
    );
    expect(b).toEqual({ ...a, duplicate: true });
    expect(await dispatcher.publish(eventInput(), { idempotencyKey: "mine" })).toMatchObject({ duplicate: false });
  });

  it("publishes many in one atomic enqueue, results in input order", async () => {
    const { dispatcher, storage } = await setup();
    const spy = vi.spyOn(storage, "enqueueDeliveries");
    const sms = eventInput({
      requestId: "r-sms",
      channel: "sms" as never,
      identityMap: { phone: [{ id: "+14155550123" }] } as never,
    });
    const results = await dispatcher.publishMany([eventInput(), eventInput({ imsOrg: "nobody" }), sms]);
    expect(results.map((r) => r.status)).toEqual(["enqueued", "skipped", "enqueued"]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0]).toHaveLength(2);
  });

  it("passes the caller's transaction through to the storage (outbox)", async () => {
    const { dispatcher, storage } = await setup();
    const spy = vi.spyOn(storage, "enqueueDeliveries");
    const tx = { client: "pg client inside BEGIN" };
    await dispatcher.publish(eventInput(), { tx });
    await dispatcher.publishMany([eventInput({ requestId: "r-2" })], { tx });
    expect(spy.mock.calls.map((c) => c[1].tx)).toEqual([tx, tx]);
  });

  it("still enqueues (holds) for a webhook the dispatcher disabled itself", async () => {
    const { dispatcher, storage, config } = await setup();
    await storage.suspendEndpoint(config.id, "gone");
    expect(await dispatcher.publish(eventInput())).toMatchObject({ status: "enqueued" });
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it("routes by org + sandbox name", async () => {
    const { dispatcher } = await setup();
    const other = eventInput({ sandbox: { ...SANDBOX, name: "dev" } });
    expect(await dispatcher.publish(other)).toEqual({ status: "skipped", reason: "no_config" });
  });
});
