import { describe, expect, it, vi } from "vitest";
import { PayloadValidationError } from "../../src/errors.js";
import { createFeedbackEvent } from "../../src/schemas/index.js";
import { validatePayload } from "../../src/schemas/validate-payload.js";
import { CAMPAIGN, eventInput, ORG, SANDBOX, setup } from "./helpers.js";

vi.mock("../../src/schemas/validate-payload.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/schemas/validate-payload.js")>();
  return { ...actual, validatePayload: vi.fn(actual.validatePayload) };
});
const validations = vi.mocked(validatePayload);

async function bodyOf(h: Awaited<ReturnType<typeof setup>>, result: unknown) {
  const { deliveryId } = result as { deliveryId: string };
  return (await h.dispatcher.deliveries.get(deliveryId))!.body;
}

describe("publish of events built by createFeedbackEvent", () => {
  it("does not validate a built, unchanged event again, and sends its exact JSON", async () => {
    const h = await setup();
    const event = createFeedbackEvent(eventInput());
    validations.mockClear();
    const result = await h.dispatcher.publish(event);
    expect(validations).not.toHaveBeenCalled();
    expect(await bodyOf(h, result)).toBe(JSON.stringify(event));
  });

  it("validates a built event again once changed, and sends the change", async () => {
    const h = await setup();
    const event = createFeedbackEvent(eventInput());
    event.requestId = "changed-after-building";
    validations.mockClear();
    const result = await h.dispatcher.publish(event);
    expect(validations).toHaveBeenCalledTimes(1);
    expect(JSON.parse(await bodyOf(h, result))).toMatchObject({ requestId: "changed-after-building" });
  });

  it("refuses a built event changed into an invalid one, with the event's index in the path", async () => {
    const h = await setup();
    const changed = createFeedbackEvent(eventInput({ requestId: "r-2" }));
    changed.imsOrg = "";
    const error = await h.dispatcher.publishMany([createFeedbackEvent(eventInput()), changed]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).issues.map((i) => i.path)).toEqual(["[1].imsOrg"]);
    expect(await h.storage.listDeliveries({ limit: 10 })).toEqual([]);
  });

  it("refuses a built event changed into something JSON cannot hold as invalid, not with a TypeError", async () => {
    const h = await setup();
    const event = createFeedbackEvent(eventInput());
    (event.messageDeliveryFeedback as { retryCount: unknown }).retryCount = 1n;
    const error = await h.dispatcher.publish(event).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadValidationError);
    expect((error as PayloadValidationError).issues[0]!.path).toBe("messageDeliveryFeedback.retryCount");
  });

  it("judges a built event by its JSON: a change the JSON does not show is published as built", async () => {
    const h = await setup();
    const event = createFeedbackEvent(eventInput());
    const sent = JSON.stringify(event);
    (event as unknown as Record<string, unknown>).note = undefined;
    validations.mockClear();
    const result = await h.dispatcher.publish(event);
    expect(validations).not.toHaveBeenCalled();
    expect(await bodyOf(h, result)).toBe(sent);
  });

  it("validates a plain copy of a built event strictly: an unknown key is refused", async () => {
    const h = await setup();
    const copy = { ...structuredClone(createFeedbackEvent(eventInput())), extra: 1 };
    validations.mockClear();
    const error = await h.dispatcher.publish(copy as never).catch((e: unknown) => e);
    expect(validations).toHaveBeenCalledTimes(1);
    expect((error as PayloadValidationError).issues.map((i) => i.path)).toEqual(["extra"]);
  });

  it("sends what was validated even when a custom idempotency key function changes its argument", async () => {
    const h = await setup({
      idempotencyKey: (event) => {
        event.requestId = "changed-by-the-key-function";
        return "key";
      },
    });
    for (const input of [createFeedbackEvent(eventInput()), eventInput({ requestId: "plain-input" })]) {
      const result = await h.dispatcher.publish(input, { idempotencyKey: undefined });
      const body = JSON.parse(await bodyOf(h, result)) as { requestId: string };
      expect(body.requestId).not.toBe("changed-by-the-key-function");
      await h.storage.purgeDeliveries({ identity: "john.doe@luma.com" });
    }
  });
});

describe("publishMany routing", () => {
  it("reads each org + sandbox configuration and each campaign switch once per call", async () => {
    const h = await setup();
    const get = vi.spyOn(h.storage, "getConfig");
    const campaign = vi.spyOn(h.storage, "isCampaignEnabled");
    const other = { ...eventInput().messageExecution, campaignID: "other-campaign" };
    const events = [
      eventInput({ requestId: "a" }),
      eventInput({ requestId: "b", imsOrg: "nobody" }),
      eventInput({ requestId: "c" }),
      eventInput({ requestId: "d", messageExecution: other }),
      eventInput({ requestId: "e", imsOrg: "nobody" }),
      eventInput({ requestId: "f", messageExecution: other }),
    ];
    const results = await h.dispatcher.publishMany(events);
    expect(results.map((r) => (r.status === "skipped" ? r.reason : r.status))).toEqual([
      "enqueued",
      "no_config",
      "enqueued",
      "campaign_not_enabled",
      "no_config",
      "campaign_not_enabled",
    ]);
    expect(get.mock.calls).toEqual([
      [ORG, SANDBOX.name],
      ["nobody", SANDBOX.name],
    ]);
    expect(campaign.mock.calls.map(([key]) => key.campaignId)).toEqual([CAMPAIGN, "other-campaign"]);
  });
});
