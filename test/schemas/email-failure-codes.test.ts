import { describe, expect, it } from "vitest";
import { describeFailure, EMAIL_FAILURE_CODES, parseFeedbackEvent } from "../../src/schemas/index.js";
import { loadFixture } from "../fixtures/index.js";

describe("EMAIL_FAILURE_CODES and describeFailure", () => {
  it("holds the 18 documented codes", () => {
    expect(Object.keys(EMAIL_FAILURE_CODES)).toHaveLength(18);
    expect(EMAIL_FAILURE_CODES["30"]).toEqual({ label: "Generic Bounce: NO RCPT", type: "Ignored" });
    expect(EMAIL_FAILURE_CODES["100"]).toEqual({ label: "Challenge-Response", type: "Soft" });
  });

  it("is frozen, entries included", () => {
    expect(Object.isFrozen(EMAIL_FAILURE_CODES)).toBe(true);
    expect(Object.values(EMAIL_FAILURE_CODES).every(Object.isFrozen)).toBe(true);
  });

  it("describes a known code and the documented example's failure", () => {
    expect(describeFailure("22")).toEqual({ code: "22", label: "Mailbox Full", type: "Soft" });
    const event = parseFeedbackEvent(loadFixture("documented-example"));
    const failure = event.messageDeliveryFeedback.messageFailure;
    // The example labels code 25 "Ignored" while the table says "Admin": types are open strings.
    expect(failure?.type).toBe("Ignored");
    expect(describeFailure(failure?.code ?? "")).toEqual({ code: "25", label: "Admin Failure", type: "Admin" });
  });

  it.each(["99", "", "025", "constructor", "__proto__", "toString"])("returns undefined for %j", (code) => {
    expect(describeFailure(code)).toBeUndefined();
  });

  it("returns a copy: changing it leaves the table alone", () => {
    const description = describeFailure("10");
    if (description) description.label = "changed";
    expect(EMAIL_FAILURE_CODES["10"].label).toBe("Invalid Recipient");
  });
});
