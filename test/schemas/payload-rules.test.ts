import { describe, expect, it } from "vitest";
import { PayloadValidationError } from "../../src/errors.js";
import { type JsonObject, parseFeedbackEvent } from "../../src/schemas/index.js";
import { type FixtureName, fixtureWith, loadFixture, REMOVE } from "../fixtures/index.js";

function issuesOf(input: unknown) {
  try {
    parseFeedbackEvent(input, { unknownStatus: "reject" });
  } catch (error) {
    if (error instanceof PayloadValidationError) return error.issues;
    throw error;
  }
  throw new Error("expected a PayloadValidationError");
}

const MDF = "messageDeliveryFeedback";
const ONLY_FAILURES = "only bounce, error and delay events carry a messageFailure";
const exclusion = { code: "10", reason: "Address is on the suppression list" };
const failure = { category: "async", type: "Hard", code: "10", reason: "Invalid Recipient" };

// One valid fixture, exactly one change, exactly one problem reported at the changed path.
type Rule = [
  rule: string,
  fixture: FixtureName,
  path: (string | number)[],
  value: unknown,
  message: string,
  at?: string,
];
const rules: Rule[] = [
  ["wrong eventType", "email-sent", ["eventType"], "message.opened", 'must be "message.feedback"'],
  ["unknown channel", "email-sent", ["channel"], "push", 'must be one of "email", "sms"'],
  ["missing channel", "sms-sent", ["channel"], REMOVE, 'is required (one of "email", "sms")'],
  ["missing eventType", "sms-sent", ["eventType"], REMOVE, 'is required ("message.feedback")'],
  ["missing requestId", "email-sent", ["requestId"], REMOVE, "is required"],
  ["empty requestId", "sms-sent", ["requestId"], "", "must not be empty"],
  ["numeric imsOrg", "sms-sent", ["imsOrg"], 42, "must be a string, got 42"],
  ["missing sandbox name", "email-sent", ["sandbox", "name"], REMOVE, "is required"],
  ["missing campaignID", "email-sent", ["messageExecution", "campaignID"], REMOVE, "is required"],
  ["negative retryCount", "email-sent", [MDF, "retryCount"], -1, "must be a whole number ≥ 0"],
  ["fractional retryCount", "email-delay", [MDF, "retryCount"], 1.5, "must be a whole number ≥ 0"],
  ["string retryCount", "sms-delay", [MDF, "retryCount"], "1", "must be a whole number ≥ 0"],
  ["missing retryCount", "sms-sent", [MDF, "retryCount"], REMOVE, "is required"],
  [
    "non-digit failure code",
    "email-bounce",
    [MDF, "messageFailure", "code"],
    "2a",
    'must be a string of digits, e.g. "25"',
  ],
  [
    "numeric failure code",
    "sms-error",
    [MDF, "messageFailure", "code"],
    30003,
    'must be a string of digits, e.g. "25"',
  ],
  [
    "bad failure category",
    "email-bounce",
    [MDF, "messageFailure", "category"],
    "later",
    'must be one of "sync", "async"',
  ],
  ["numeric failure type", "email-error", [MDF, "messageFailure", "type"], 1, "must be a string, got 1"],
  ["missing failure reason", "email-delay", [MDF, "messageFailure", "reason"], REMOVE, "is required"],
  [
    "bounce without messageFailure",
    "sms-bounce",
    [MDF, "messageFailure"],
    REMOVE,
    'is required for a "bounce" event: an object {category, type, code, reason}',
  ],
  [
    "error with a null messageFailure",
    "email-error",
    [MDF, "messageFailure"],
    null,
    'is required for an "error" event: an object {category, type, code, reason}',
  ],
  [
    "delay with a string messageFailure",
    "email-delay",
    [MDF, "messageFailure"],
    "soft",
    'must be an object, got the string "soft"',
  ],
  [
    "sent with a messageFailure",
    "email-sent",
    [MDF, "messageFailure"],
    failure,
    `must be null for a "sent" event; ${ONLY_FAILURES}`,
  ],
  [
    "exclude with a messageFailure",
    "sms-exclude",
    [MDF, "messageFailure"],
    failure,
    `must be null for an "exclude" event; ${ONLY_FAILURES}`,
  ],
  [
    "exclusion on a bounce",
    "email-bounce",
    [MDF, "messageExclusion"],
    exclusion,
    'must be null for a "bounce" event; only exclude events carry a messageExclusion',
  ],
  [
    "exclusion on a delivered",
    "sms-delivered",
    [MDF, "messageExclusion"],
    exclusion,
    'must be null for a "delivered" event; only exclude events carry a messageExclusion',
  ],
  [
    "exclude without messageExclusion",
    "email-exclude",
    [MDF, "messageExclusion"],
    REMOVE,
    'is required for an "exclude" event: an object {code, reason}',
  ],
  ["empty exclusion code", "sms-exclude", [MDF, "messageExclusion", "code"], "", "must not be empty"],
  [
    "feedbackStatus not an object",
    "email-sent",
    [MDF, "feedbackStatus"],
    "sent",
    'must be an object, got the string "sent"',
  ],
  [
    "missing email identity on an email event",
    "email-sent",
    ["identityMap"],
    { phone: [{ id: "+14155550123" }] },
    'is required: email events carry an "email" identity',
    "identityMap.email",
  ],
  [
    "missing phone identity on an sms event",
    "sms-sent",
    ["identityMap"],
    { email: [{ id: "jane.smith@example.com" }] },
    'is required: sms events carry a "phone" identity',
    "identityMap.phone",
  ],
  ["empty identity list", "email-delivered", ["identityMap", "email"], [], "must list at least one identity"],
  ["empty list in another namespace", "sms-delivered", ["identityMap", "ecid"], [], "must list at least one identity"],
  ["empty identity id", "sms-bounce", ["identityMap", "phone", 0, "id"], "", "must not be empty"],
  [
    "non-boolean primary",
    "email-bounce",
    ["identityMap", "email", 0, "primary"],
    "yes",
    'must be a boolean, got the string "yes"',
  ],
  ["identityMap not an object", "email-sent", ["identityMap"], [], "must be an object, got a list"],
];

describe("payload rules: one valid fixture, one change", () => {
  it.each(rules)("%s", (_rule, fixture, path, value, message, at) => {
    expect(() => parseFeedbackEvent(loadFixture(fixture))).not.toThrow();
    const expectedPath =
      at ??
      path
        .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
        .join("")
        .slice(1);
    expect(issuesOf(fixtureWith(fixture, path, value))).toEqual([{ path: expectedPath, message }]);
  });

  it("refuses a non-JSON offers value given as an object", () => {
    const issues = issuesOf(fixtureWith("email-sent", [MDF, "offers"], Number.NaN));
    expect(issues).toEqual([
      {
        path: "messageDeliveryFeedback.offers",
        message: "must be a JSON value (no undefined, NaN, Infinity, functions, class instances, holes or cycles)",
      },
    ]);
  });
});

describe("payload rules: every problem at once", () => {
  it("lists all problems with their paths, in one error", () => {
    const input = fixtureWith("email-bounce", ["eventType"], "other");
    const feedback = input[MDF] as JsonObject;
    feedback.retryCount = -3;
    (feedback.messageFailure as JsonObject).code = "x1";
    feedback.messageExclusion = exclusion;
    input.identityMap = { email: [] };
    let error: PayloadValidationError | undefined;
    try {
      parseFeedbackEvent(input);
    } catch (e) {
      error = e as PayloadValidationError;
    }
    expect(error?.issues).toEqual([
      { path: "eventType", message: 'must be "message.feedback"' },
      { path: "messageDeliveryFeedback.messageFailure.code", message: 'must be a string of digits, e.g. "25"' },
      {
        path: "messageDeliveryFeedback.messageExclusion",
        message: 'must be null for a "bounce" event; only exclude events carry a messageExclusion',
      },
      { path: "messageDeliveryFeedback.retryCount", message: "must be a whole number ≥ 0" },
      { path: "identityMap.email", message: "must list at least one identity" },
    ]);
    expect(error?.message).toBe(
      [
        "Invalid feedback event (5 problems):",
        '  - eventType: must be "message.feedback"',
        '  - messageDeliveryFeedback.messageFailure.code: must be a string of digits, e.g. "25"',
        '  - messageDeliveryFeedback.messageExclusion: must be null for a "bounce" event; only exclude events carry a messageExclusion',
        "  - messageDeliveryFeedback.retryCount: must be a whole number ≥ 0",
        "  - identityMap.email: must list at least one identity",
      ].join("\n"),
    );
  });

  it("reports an invalid channel and the other problems together", () => {
    const input = fixtureWith("sms-error", ["channel"], "push");
    (input.identityMap as JsonObject).phone = [];
    expect(issuesOf(input)).toEqual([
      { path: "channel", message: 'must be one of "email", "sms"' },
      { path: "identityMap.phone", message: "must list at least one identity" },
    ]);
  });
});
