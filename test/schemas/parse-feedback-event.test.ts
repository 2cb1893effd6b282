import { describe, expect, it, vi } from "vitest";
import { isWebhookError, type PayloadParseError, PayloadValidationError } from "../../src/errors.js";
import { FEEDBACK_STATUSES, hasFeedbackStatus, type JsonObject, parseFeedbackEvent } from "../../src/schemas/index.js";
import { FIXTURE_NAMES, fixtureText, fixtureWith, loadFixture, REMOVE } from "../fixtures/index.js";

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadValidationError);
    return (error as PayloadValidationError).issues;
  }
  throw new Error("expected a PayloadValidationError");
}

function parseErrorOf(input: unknown): PayloadParseError {
  try {
    parseFeedbackEvent(input);
  } catch (error) {
    expect(isWebhookError(error, "ERR_PAYLOAD_MALFORMED")).toBe(true);
    return error as PayloadParseError;
  }
  throw new Error("expected a PayloadParseError");
}

describe("parseFeedbackEvent: valid events", () => {
  it("parses the documented example and types its failure", () => {
    const event = parseFeedbackEvent(fixtureText("documented-example"));
    expect(event).toEqual(loadFixture("documented-example"));
    expect(hasFeedbackStatus(event, "bounce")).toBe(true);
    if (!hasFeedbackStatus(event, "bounce")) return;
    expect(event.messageDeliveryFeedback.messageFailure).toEqual({
      category: "sync",
      type: "Ignored",
      code: "25",
      reason: "Admin Failure",
    });
    expect(event.identityMap.email?.[0].id).toBe("john.doe@luma.com");
  });

  it.each(FIXTURE_NAMES)("parses fixture %s unchanged", (name) => {
    expect(parseFeedbackEvent(loadFixture(name))).toEqual(loadFixture(name));
  });

  it("covers every status × channel with a fixture", () => {
    const seen = FIXTURE_NAMES.filter((n) => n !== "documented-example").map((n) => {
      const e = parseFeedbackEvent(loadFixture(n), { unknownStatus: "reject" });
      return `${e.channel}-${e.messageDeliveryFeedback.feedbackStatus.value}`;
    });
    expect(new Set(seen).size).toBe(FEEDBACK_STATUSES.length * 2);
  });

  it("accepts a string, a Buffer, a Uint8Array, an ArrayBuffer and a DataView", () => {
    const text = fixtureText("sms-delivered");
    const bytes = new TextEncoder().encode(text);
    const expected = loadFixture("sms-delivered");
    for (const input of [text, Buffer.from(text), bytes, bytes.buffer, new DataView(bytes.buffer)]) {
      expect(parseFeedbackEvent(input)).toEqual(expected);
    }
  });

  it("accepts a UTF-8 byte order mark before the JSON", () => {
    const text = fixtureText("email-sent");
    expect(parseFeedbackEvent(`\uFEFF${text}`)).toEqual(loadFixture("email-sent"));
    expect(parseFeedbackEvent(new TextEncoder().encode(`\uFEFF${text}`))).toEqual(loadFixture("email-sent"));
  });

  it("keeps unknown extra fields at every level", () => {
    const input = loadFixture("email-bounce");
    const feedback = input.messageDeliveryFeedback as JsonObject;
    input.newTopLevel = { nested: [1, 2] };
    feedback.newFeedbackField = "x";
    (feedback.messageFailure as JsonObject).smtpDiagnostic = "550 5.1.1";
    (input.sandbox as JsonObject).region = "va7";
    expect(parseFeedbackEvent(input)).toEqual(input);
  });

  it.each(["offers", "messageFailure", "messageExclusion"])("reads a missing %s as null", (field) => {
    const event = parseFeedbackEvent(fixtureWith("sms-sent", ["messageDeliveryFeedback", field], REMOVE));
    expect(event.messageDeliveryFeedback).toHaveProperty(field, null);
  });

  it("accepts a delay without messageFailure, and any JSON value as offers", () => {
    expect(
      parseFeedbackEvent(fixtureWith("email-delay", ["messageDeliveryFeedback", "messageFailure"], null)),
    ).toBeTruthy();
    const offers = { items: [{ id: "A-1", rank: 1, tags: ["x"] }], total: 1.5 };
    const event = parseFeedbackEvent(fixtureWith("email-sent", ["messageDeliveryFeedback", "offers"], offers));
    expect(event.messageDeliveryFeedback.offers).toEqual(offers);
  });

  it("accepts any non-empty identity id and other namespaces on the receiving side", () => {
    const input = fixtureWith("email-sent", ["identityMap"], {
      email: [{ id: "not an address", authenticatedState: "someFutureState" }],
      ecid: [{ id: "27053245837498238442340938572048204924" }],
    });
    expect(parseFeedbackEvent(input).identityMap.ecid?.[0].id).toBe("27053245837498238442340938572048204924");
  });
});

describe("parseFeedbackEvent: unknown statuses", () => {
  const newer = () => fixtureWith("sms-sent", ["messageDeliveryFeedback", "feedbackStatus", "value"], "opened");

  it("returns an unknown-status event by default, with its common fields validated", () => {
    const event = parseFeedbackEvent(newer());
    expect(event.messageDeliveryFeedback.feedbackStatus.value).toBe("opened");
    expect(event.channel).toBe("sms");
    const broken = newer();
    (broken.identityMap as JsonObject).phone = [];
    expect(issuesOf(() => parseFeedbackEvent(broken))).toEqual([
      { path: "identityMap.phone", message: "must list at least one identity" },
    ]);
  });

  it("rejects it when asked, naming the known statuses", () => {
    expect(issuesOf(() => parseFeedbackEvent(newer(), { unknownStatus: "reject" }))).toEqual([
      {
        path: "messageDeliveryFeedback.feedbackStatus.value",
        message:
          'unknown status the string "opened"; must be one of "sent", "delivered", "bounce", "error", "delay", "exclude"',
      },
    ]);
  });

  it("refuses a missing or non-string status in both modes", () => {
    const missing = fixtureWith("sms-sent", ["messageDeliveryFeedback", "feedbackStatus", "value"], REMOVE);
    expect(issuesOf(() => parseFeedbackEvent(missing))[0]?.message).toMatch(/status string such as "sent"/);
    const reject = issuesOf(() => parseFeedbackEvent(missing, { unknownStatus: "reject" }));
    expect(reject[0]?.message).toMatch(/^is required: one of "sent"/);
  });

  it("refuses an invalid unknownStatus option", () => {
    const run = () => parseFeedbackEvent(newer(), { unknownStatus: "ignore" as "accept" });
    expect(run).toThrow(/unknownStatus: must be "accept" or "reject"/);
  });
});

describe("parseFeedbackEvent: malformed bodies", () => {
  it("reports invalid JSON without echoing the body", () => {
    const secret = "s3cr3t-value-that-must-not-leak";
    const error = parseErrorOf(`{"requestId": ${secret}}`);
    expect(error.message).toMatch(/^Body is not valid JSON: /);
    expect(error.message).not.toContain(secret);
    expect(error.message.length).toBeLessThan(140);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it("gives a position hint where the engine has one", () => {
    expect(parseErrorOf('{"a": 1,}').message).toMatch(/position 8/);
    expect(parseErrorOf('"abc').message).toBe("Body is not valid JSON: Unterminated string at position 4.");
    expect(parseErrorOf('{"a":').message).toBe("Body is not valid JSON: it ends too early.");
  });

  it("reports invalid UTF-8 and empty bodies", () => {
    expect(parseErrorOf(new Uint8Array([0x7b, 0xff, 0x7d])).message).toBe("Body is not valid UTF-8.");
    expect(parseErrorOf("  \n").message).toBe("Body is empty; expected a JSON object.");
    expect(parseErrorOf(new Uint8Array()).message).toBe("Body is empty; expected a JSON object.");
  });

  it("maps a RangeError from JSON.parse (absurd nesting) to a PayloadParseError", () => {
    const spy = vi.spyOn(JSON, "parse").mockImplementationOnce(() => {
      throw new RangeError("Maximum call stack size exceeded");
    });
    try {
      expect(parseErrorOf("[]").message).toBe("Body is nested too deeply to parse.");
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ["[]", "a list"],
    ["null", "null"],
    ['"text"', 'the string "text"'],
    ["42", "42"],
  ])("refuses the JSON root %s", (body, got) => {
    expect(issuesOf(() => parseFeedbackEvent(body))).toEqual([
      { path: "", message: `must be a JSON object, got ${got}` },
    ]);
  });
});

describe("parseFeedbackEvent: hostile input", () => {
  it("never turns __proto__ or constructor keys into prototypes", () => {
    const body = fixtureText("email-sent").replace(
      '"imsOrg"',
      '"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "imsOrg"',
    );
    const withFeedback = body.replace('"retryCount"', '"__proto__": {"retryCount": -5}, "retryCount"');
    const event = parseFeedbackEvent(withFeedback) as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(event.messageDeliveryFeedback)).toBe(Object.prototype);
    expect(Object.hasOwn(event, "__proto__")).toBe(false);
    expect(event.constructor).toEqual({ prototype: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(event.polluted).toBeUndefined();
  });

  it("judges inherited fields with the schema they select (no bounce without a failure slips through)", () => {
    const proto = fixtureWith("email-bounce", ["messageDeliveryFeedback", "messageFailure"], REMOVE);
    expect(issuesOf(() => parseFeedbackEvent(Object.create(proto)))).toEqual([
      {
        path: "messageDeliveryFeedback.messageFailure",
        message: 'is required for a "bounce" event: an object {category, type, code, reason}',
      },
    ]);
  });

  it("survives deeply nested extra fields and offers without a stack overflow", () => {
    const depth = 200_000;
    const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const body = fixtureText("email-sent")
      .replace('"offers": null', `"offers": ${deep}`)
      .replace('"imsOrg"', `"extra": ${deep}, "imsOrg"`);
    expect(parseFeedbackEvent(body).requestId).toBe(loadFixture("email-sent").requestId);
    expect(issuesOf(() => parseFeedbackEvent(deep))).toEqual([
      { path: "", message: "must be a JSON object, got a list" },
    ]);
  });
});
