import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { createMemoryDedupeStore, createReceiver } from "../../src/receiver/index.js";
import { testKeys } from "../../src/testing/index.js";
import { validRequest } from "./valid-delivery.js";

describe("handlerTimeoutMs", () => {
  it("answers 202 before a slow handler finishes, and reports its later failure to onError", async () => {
    const onError = vi.fn();
    const failure = new Error("CRM timed out");
    let finished = false;
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, handlerTimeoutMs: 20, onError }).on("bounce", async () => {
      await sleep(150);
      finished = true;
      throw failure;
    });
    const response = await receiver.handle(await validRequest());
    expect(response.status).toBe(202);
    expect(finished).toBe(false);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(failure, { phase: "background", status: undefined, deliveryId: "delivery-1" }));
  });

  it("answers 200 when the handlers finish in time", async () => {
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, handlerTimeoutMs: 1000 }).on("bounce", async () => {
      await sleep(5);
    });
    expect((await receiver.handle(await validRequest())).status).toBe(200);
  });

  it("answers 500 when a handler fails in time", async () => {
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, handlerTimeoutMs: 1000, onError: () => {} }).on("bounce", () => {
      throw new Error("boom");
    });
    expect((await receiver.handle(await validRequest())).status).toBe(500);
  });

  it("records a slow delivery once its handlers succeed, so its retry is not processed again", async () => {
    let finished = false;
    const bounce = vi.fn(async () => {
      await sleep(60);
      finished = true;
    });
    const receiver = createReceiver({
      auth: testKeys.hs256.receiverAuth,
      handlerTimeoutMs: 10,
      dedupe: { store: createMemoryDedupeStore() },
    }).on("bounce", bounce);
    expect((await receiver.handle(await validRequest({ attempt: 1 }))).status).toBe(202);
    // The record is chained on the handlers in microtasks, which all run before waitFor polls again.
    await vi.waitFor(() => expect(finished).toBe(true));
    expect((await receiver.handle(await validRequest({ attempt: 2 }))).status).toBe(200);
    expect(bounce).toHaveBeenCalledOnce();
  });
});
