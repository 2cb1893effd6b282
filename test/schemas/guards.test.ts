import { describe, expect, it } from "vitest";
import {
  type AnyFeedbackEvent,
  feedbackStatusOf,
  hasChannel,
  hasFeedbackStatus,
  isFeedbackStatus,
  isKnownFeedbackEvent,
  parseFeedbackEvent,
} from "../../src/schemas/index.js";
import { FIXTURE_NAMES, fixtureWith, loadFixture } from "../fixtures/index.js";

const events: AnyFeedbackEvent[] = FIXTURE_NAMES.map((name) => parseFeedbackEvent(loadFixture(name)));
const unknown = parseFeedbackEvent(
  fixtureWith("sms-sent", ["messageDeliveryFeedback", "feedbackStatus", "value"], "opened"),
);

describe("event guards", () => {
  it("hasFeedbackStatus matches one or several statuses", () => {
    const bounce = parseFeedbackEvent(loadFixture("sms-bounce"));
    expect(hasFeedbackStatus(bounce, "bounce")).toBe(true);
    expect(hasFeedbackStatus(bounce, "sent", "error")).toBe(false);
    expect(hasFeedbackStatus(bounce, "error", "bounce")).toBe(true);
    expect(hasFeedbackStatus(unknown, "sent")).toBe(false);
    expect(events.filter((e) => hasFeedbackStatus(e, "bounce", "error"))).toHaveLength(5);
  });

  it("feedbackStatusOf reads known and unknown statuses", () => {
    expect(events.map(feedbackStatusOf).slice(0, 3)).toEqual(["bounce", "sent", "delivered"]);
    expect(feedbackStatusOf(unknown)).toBe("opened");
  });

  it("hasChannel splits events by channel", () => {
    expect(events.filter((e) => hasChannel(e, "sms"))).toHaveLength(6);
    expect(hasChannel(unknown, "sms")).toBe(true);
    expect(hasChannel(unknown, "email")).toBe(false);
  });

  it("isKnownFeedbackEvent tells known from unknown statuses", () => {
    expect(events.every(isKnownFeedbackEvent)).toBe(true);
    expect(isKnownFeedbackEvent(unknown)).toBe(false);
  });

  it("isFeedbackStatus accepts exactly the six statuses", () => {
    expect(["sent", "delivered", "bounce", "error", "delay", "exclude"].every(isFeedbackStatus)).toBe(true);
    for (const value of ["opened", "SENT", "", "constructor", 1, null, undefined]) {
      expect(isFeedbackStatus(value)).toBe(false);
    }
  });
});
