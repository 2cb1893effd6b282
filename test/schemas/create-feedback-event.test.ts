import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PayloadValidationError } from "../../src/errors.js";
import {
  createFeedbackEvent,
  type FeedbackEventInput,
  feedbackStatusOf,
  generateRequestId,
  parseFeedbackEvent,
} from "../../src/schemas/index.js";
import { FIXTURE_NAMES, loadFixture } from "../fixtures/index.js";
import { feedbackEventInputArbitrary } from "./arbitraries.js";

const minimal = {
  imsOrg: "907075E95BF479EC0A495C73@AdobeOrg",
  sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
  channel: "sms",
  messageExecution: {
    messageExecutionID: "HUMA-26371980",
    campaignID: "b2d94e07-6a1f-4c3b-9e85-7f20c1a4d6e9",
    campaignVersionID: "0e7a3c95-d41b-4f62-8a3e-95b6c2f1d704",
  },
  messageDeliveryFeedback: { feedbackStatus: { value: "delivered" } },
  identityMap: { phone: [{ id: "+14155550123", primary: true }] },
} satisfies FeedbackEventInput<"delivered", "sms">;

// Inputs a JavaScript caller (or a cast) could pass; the builder must judge them at runtime.
function issuesOf(input: unknown) {
  try {
    createFeedbackEvent(input as FeedbackEventInput);
  } catch (error) {
    if (error instanceof PayloadValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected a PayloadValidationError");
}

describe("createFeedbackEvent", () => {
  it("fills every default", () => {
    const event = createFeedbackEvent(minimal);
    expect(event).toEqual({
      ...minimal,
      requestId: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      eventType: "message.feedback",
      messageExecution: { ...minimal.messageExecution, messageType: "transactional" },
      messageDeliveryFeedback: {
        feedbackStatus: { value: "delivered" },
        offers: null,
        messageFailure: null,
        messageExclusion: null,
        retryCount: 0,
      },
    });
  });

  it("serializes in the documented key order", () => {
    const keys = Object.keys(createFeedbackEvent(minimal));
    expect(keys).toEqual(Object.keys(loadFixture("documented-example")));
  });

  it("returns a new, unfrozen object that shares nothing with the input", () => {
    const offers = { items: [{ id: "A-1" }] };
    const input = { ...minimal, messageDeliveryFeedback: { ...minimal.messageDeliveryFeedback, offers } };
    const event = createFeedbackEvent(input);
    offers.items[0]!.id = "changed";
    input.identityMap.phone[0]!.id = "+10000000000";
    expect(event.messageDeliveryFeedback.offers).toEqual({ items: [{ id: "A-1" }] });
    expect(event.identityMap.phone[0].id).toBe("+14155550123");
    expect(Object.isFrozen(event)).toBe(false);
  });

  it.each(FIXTURE_NAMES)("rebuilds fixture %s exactly", (name) => {
    const fixture = loadFixture(name);
    expect(createFeedbackEvent(fixture as unknown as FeedbackEventInput)).toEqual(fixture);
  });

  it("refuses unknown keys at every level, naming the allowed ones", () => {
    const issues = issuesOf({
      ...minimal,
      chanel: "sms",
      messageDeliveryFeedback: { ...minimal.messageDeliveryFeedback, retries: 1 },
      identityMap: { phone: [{ id: "+14155550123", isPrimary: true }] },
    });
    expect(issues.map((i) => i.path)).toEqual([
      "messageDeliveryFeedback.retries",
      "identityMap.phone[0].isPrimary",
      "chanel",
    ]);
    expect(issues[2]?.message).toBe(
      "unknown field: senders are strict, remove it or fix its spelling (allowed here: requestId, imsOrg, sandbox, channel, eventType, messageExecution, messageDeliveryFeedback, identityMap)",
    );
  });

  it.each([
    ["email", "email", "john.doe@", 'must be a valid email address, e.g. "john.doe@luma.com"'],
    ["email", "email", "john doe@luma.com", 'must be a valid email address, e.g. "john.doe@luma.com"'],
    ["sms", "phone", "4155550123", 'must be an E.164 phone number: "+" and 8–15 digits, e.g. "+14155550123"'],
    ["sms", "phone", "+1415555", 'must be an E.164 phone number: "+" and 8–15 digits, e.g. "+14155550123"'],
    ["sms", "phone", "+1234567890123456", 'must be an E.164 phone number: "+" and 8–15 digits, e.g. "+14155550123"'],
    ["sms", "phone", "+04155550123", 'must be an E.164 phone number: "+" and 8–15 digits, e.g. "+14155550123"'],
  ])("refuses a %s event whose %s identity is %j", (channel, namespace, id, message) => {
    const issues = issuesOf({ ...minimal, channel, identityMap: { [namespace]: [{ id }] } });
    expect(issues).toEqual([{ path: `identityMap.${namespace}[0].id`, message }]);
  });

  it("accepts the shortest and longest E.164 numbers and a phone identity on an email event", () => {
    for (const id of ["+12345678", "+123456789012345"]) {
      expect(createFeedbackEvent({ ...minimal, identityMap: { phone: [{ id }] } }).identityMap.phone[0].id).toBe(id);
    }
    const email = createFeedbackEvent({
      ...minimal,
      channel: "email",
      identityMap: { email: [{ id: "john.doe@luma.com" }], phone: [{ id: "+14155550123" }] },
    });
    expect(email.identityMap.phone?.[0].id).toBe("+14155550123");
  });

  it("requires a messageFailure on bounce and error, and refuses one on sent", () => {
    for (const value of ["bounce", "error"]) {
      const issues = issuesOf({ ...minimal, messageDeliveryFeedback: { feedbackStatus: { value } } });
      expect(issues).toEqual([
        {
          path: "messageDeliveryFeedback.messageFailure",
          message: `is required for ${value === "error" ? "an" : "a"} "${value}" event: an object {category, type, code, reason}`,
        },
      ]);
    }
    const failure = { category: "sync", type: "Hard", code: "10", reason: "Invalid Recipient" };
    const sent = { feedbackStatus: { value: "sent" }, messageFailure: failure };
    expect(issuesOf({ ...minimal, messageDeliveryFeedback: sent })[0]?.path).toBe(
      "messageDeliveryFeedback.messageFailure",
    );
  });

  it("refuses an unknown status and an unknown channel, with every other problem", () => {
    const issues = issuesOf({
      ...minimal,
      channel: "push",
      messageDeliveryFeedback: { feedbackStatus: { value: "opened" }, retryCount: -1 },
    });
    expect(issues).toEqual([
      { path: "channel", message: 'must be one of "email", "sms"' },
      {
        path: "messageDeliveryFeedback.feedbackStatus.value",
        message: 'must be one of "sent", "delivered", "bounce", "error", "delay", "exclude"',
      },
      { path: "messageDeliveryFeedback.retryCount", message: "must be a whole number ≥ 0" },
    ]);
  });

  it("refuses blank text, a bad requestId and a non-object input", () => {
    expect(issuesOf({ ...minimal, imsOrg: "  " })).toEqual([{ path: "imsOrg", message: "must not be blank" }]);
    expect(issuesOf({ ...minimal, requestId: "has space" })[0]?.path).toBe("requestId");
    expect(issuesOf(null)).toEqual([{ path: "", message: "must be an object, got null" }]);
  });

  it("refuses offers too deep to send as JSON instead of overflowing later", () => {
    let offers: unknown = null;
    for (let i = 0; i < 200_000; i++) offers = [offers];
    const issues = issuesOf({ ...minimal, messageDeliveryFeedback: { feedbackStatus: { value: "sent" }, offers } });
    expect(issues).toEqual([
      { path: "messageDeliveryFeedback.offers", message: "is nested too deeply to be sent as JSON" },
    ]);
  });

  it("generates request ids of 32 letters and digits, all different", () => {
    const ids = Array.from({ length: 500 }, generateRequestId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("property: every valid input builds an event the receiver accepts, unchanged by a JSON round trip", () => {
    fc.assert(
      fc.property(feedbackEventInputArbitrary, (input) => {
        const event = createFeedbackEvent(input);
        const json = JSON.stringify(event);
        expect(JSON.parse(json)).toEqual(event);
        expect(parseFeedbackEvent(event, { unknownStatus: "reject" })).toEqual(event);
        expect(parseFeedbackEvent(new TextEncoder().encode(json))).toEqual(event);
        expect(feedbackStatusOf(event)).toBe(input.messageDeliveryFeedback.feedbackStatus.value);
        expect(event.channel).toBe(input.channel);
        if (input.requestId !== undefined) expect(event.requestId).toBe(input.requestId);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("createFeedbackEvent and __proto__ keys", () => {
  it("refuses a __proto__ key inside offers, which receivers drop", async () => {
    const { loadFixture } = await import("../fixtures/index.js");
    const fixture = loadFixture("email-sent") as Record<string, unknown>;
    const { requestId, eventType, ...rest } = fixture;
    const feedback = { feedbackStatus: { value: "sent" }, offers: JSON.parse('{"a":{"__proto__":1}}') };
    expect(() => createFeedbackEvent({ ...rest, requestId, messageDeliveryFeedback: feedback } as never)).toThrow(
      /__proto__/,
    );
  });
});
