import { expect, it } from "vitest";
import {
  createFeedbackEvent,
  describeFailure,
  hasChannel,
  hasFeedbackStatus,
  isKnownFeedbackEvent,
  parseFeedbackEvent,
} from "../../src/schemas/index.js";
import { fixtureText } from "../fixtures/index.js";

// Keep in step with the "Payload schemas" section of the README.
it("README example", () => {
  const rawBody = new TextEncoder().encode(fixtureText("documented-example"));
  const log: unknown[] = [];

  const event = parseFeedbackEvent(rawBody);
  if (!isKnownFeedbackEvent(event)) throw new Error("unexpected status");
  if (hasFeedbackStatus(event, "bounce", "error")) {
    const failure = event.messageDeliveryFeedback.messageFailure;
    log.push(failure.code, describeFailure(failure.code)?.label);
  }
  if (hasChannel(event, "sms")) log.push(event.identityMap.phone[0].id);

  const sent = createFeedbackEvent({
    imsOrg: "myImsOrg",
    sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
    channel: "sms",
    messageExecution: { messageExecutionID: "HUMA-26362805", campaignID: "16f2…", campaignVersionID: "2ca1…" },
    messageDeliveryFeedback: { feedbackStatus: { value: "sent" } },
    identityMap: { phone: [{ id: "+14155550123", primary: true }] },
  });

  expect(log).toEqual(["25", "Admin Failure"]);
  expect(sent.requestId).toMatch(/^[A-Za-z0-9]{32}$/);
  expect(sent.messageDeliveryFeedback).toEqual({
    feedbackStatus: { value: "sent" },
    offers: null,
    messageExclusion: null,
    messageFailure: null,
    retryCount: 0,
  });
});
