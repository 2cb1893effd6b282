import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import {
  type AnyFeedbackEvent,
  type BounceEvent,
  type Channel,
  createFeedbackEvent,
  type DelayEvent,
  type DeliveredEvent,
  type ErrorEvent,
  type ExcludeEvent,
  type FeedbackEvent,
  type FeedbackEventOf,
  type FeedbackStatus,
  feedbackEventSchema,
  feedbackStatusOf,
  hasChannel,
  hasFeedbackStatus,
  type Identity,
  isKnownFeedbackEvent,
  type MessageExclusion,
  type MessageFailure,
  type NonEmptyArray,
  parseFeedbackEvent,
  type SentEvent,
  type UnknownStatusEvent,
} from "../../src/schemas/index.js";
import type { receivedEventSchemas } from "../../src/schemas/feedback-event-schema.js";

declare const event: AnyFeedbackEvent;
declare const known: FeedbackEvent;
declare const other: UnknownStatusEvent;

describe("hasFeedbackStatus narrows by the nested status", () => {
  it("types messageFailure per status", () => {
    if (hasFeedbackStatus(event, "bounce")) {
      expectTypeOf(event).toEqualTypeOf<BounceEvent>();
      expectTypeOf(event.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure>();
      expectTypeOf(event.messageDeliveryFeedback.messageExclusion).toEqualTypeOf<null>();
    }
    if (hasFeedbackStatus(event, "error")) {
      expectTypeOf(event.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure>();
    }
    if (hasFeedbackStatus(event, "delay")) {
      expectTypeOf(event.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure | null>();
    }
    if (hasFeedbackStatus(event, "sent")) {
      expectTypeOf(event.messageDeliveryFeedback.messageFailure).toEqualTypeOf<null>();
    }
    if (hasFeedbackStatus(event, "delivered")) {
      expectTypeOf(event.messageDeliveryFeedback.messageFailure).toEqualTypeOf<null>();
    }
    if (hasFeedbackStatus(event, "exclude")) {
      expectTypeOf(event.messageDeliveryFeedback.messageFailure).toEqualTypeOf<null>();
      expectTypeOf(event.messageDeliveryFeedback.messageExclusion).toEqualTypeOf<MessageExclusion>();
    }
  });

  it("accepts several statuses", () => {
    if (hasFeedbackStatus(known, "bounce", "error")) {
      expectTypeOf(known).toEqualTypeOf<BounceEvent | ErrorEvent>();
      expectTypeOf(known.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure>();
      expectTypeOf(known.messageDeliveryFeedback.feedbackStatus.value).toEqualTypeOf<"bounce" | "error">();
    }
  });

  it("needs at least one known status", () => {
    // @ts-expect-error no status given
    hasFeedbackStatus(known);
    // @ts-expect-error not a known status
    hasFeedbackStatus(known, "opened");
  });

  it("names the per-status types", () => {
    expectTypeOf<FeedbackEventOf<"sent">>().toEqualTypeOf<SentEvent>();
    expectTypeOf<FeedbackEventOf<"delivered">>().toEqualTypeOf<DeliveredEvent>();
    expectTypeOf<FeedbackEventOf<"delay">>().toEqualTypeOf<DelayEvent>();
    expectTypeOf<FeedbackEventOf<"exclude">>().toEqualTypeOf<ExcludeEvent>();
    expectTypeOf<FeedbackEventOf<FeedbackStatus>>().toEqualTypeOf<FeedbackEvent>();
  });
});

describe("channel narrowing", () => {
  it("hasChannel and event.channel give the channel's identity", () => {
    if (hasChannel(known, "sms")) {
      expectTypeOf(known).toEqualTypeOf<FeedbackEvent<"sms">>();
      expectTypeOf(known.identityMap.phone).toEqualTypeOf<NonEmptyArray<Identity>>();
      expectTypeOf(known.identityMap.phone[0].id).toEqualTypeOf<string>();
      expectTypeOf(known.identityMap.email).toEqualTypeOf<NonEmptyArray<Identity> | undefined>();
    }
    if (known.channel === "email") {
      expectTypeOf(known.identityMap.email).toEqualTypeOf<NonEmptyArray<Identity>>();
    }
  });

  it("combines with the status guard", () => {
    if (hasChannel(event, "sms") && hasFeedbackStatus(event, "bounce")) {
      expectTypeOf(event).toEqualTypeOf<BounceEvent<"sms">>();
      expectTypeOf(event.identityMap.phone).toEqualTypeOf<NonEmptyArray<Identity>>();
    }
  });
});

describe("parseFeedbackEvent and isKnownFeedbackEvent", () => {
  it("returns FeedbackEvent | UnknownStatusEvent unless unknown statuses are rejected", () => {
    expectTypeOf(parseFeedbackEvent("{}")).toEqualTypeOf<FeedbackEvent | UnknownStatusEvent>();
    expectTypeOf(parseFeedbackEvent("{}", {})).toEqualTypeOf<FeedbackEvent | UnknownStatusEvent>();
    expectTypeOf(parseFeedbackEvent("{}", { unknownStatus: "accept" })).toEqualTypeOf<AnyFeedbackEvent>();
    expectTypeOf(parseFeedbackEvent("{}", { unknownStatus: "reject" })).toEqualTypeOf<FeedbackEvent>();
    const mode = "reject" as "accept" | "reject";
    expectTypeOf(parseFeedbackEvent("{}", { unknownStatus: mode })).toEqualTypeOf<AnyFeedbackEvent>();
  });

  it("isKnownFeedbackEvent splits known from unknown", () => {
    if (isKnownFeedbackEvent(event)) expectTypeOf(event).toEqualTypeOf<FeedbackEvent>();
    else expectTypeOf(event).toEqualTypeOf<UnknownStatusEvent>();
  });

  it("feedbackStatusOf gives FeedbackStatus for known events, string otherwise", () => {
    expectTypeOf(feedbackStatusOf(known)).toEqualTypeOf<FeedbackStatus>();
    expectTypeOf(feedbackStatusOf(event)).toEqualTypeOf<string>();
  });

  it("UnknownStatusEvent keeps the common fields typed", () => {
    expectTypeOf(other.messageDeliveryFeedback.feedbackStatus.value).toEqualTypeOf<string>();
    expectTypeOf(other.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure | null>();
    expectTypeOf(other.channel).toEqualTypeOf<Channel>();
  });
});

describe("createFeedbackEvent follows the input's status and channel", () => {
  const base = {
    imsOrg: "org",
    sandbox: { id: "s", name: "prod" },
    messageExecution: { messageExecutionID: "m", campaignID: "c", campaignVersionID: "v" },
  };
  const failure = { category: "sync", type: "Hard", code: "10", reason: "Invalid Recipient" } as const;

  it("types the result", () => {
    const bounce = createFeedbackEvent({
      ...base,
      channel: "sms",
      messageDeliveryFeedback: { feedbackStatus: { value: "bounce" }, messageFailure: failure },
      identityMap: { phone: [{ id: "+14155550123" }] },
    });
    expectTypeOf(bounce).toEqualTypeOf<BounceEvent<"sms">>();
    const sent = createFeedbackEvent({
      ...base,
      channel: "email",
      messageDeliveryFeedback: { feedbackStatus: { value: "sent" } },
      identityMap: { email: [{ id: "john.doe@luma.com" }] },
    });
    expectTypeOf(sent).toEqualTypeOf<SentEvent<"email">>();
  });

  it("refuses inputs the status or channel forbid", () => {
    createFeedbackEvent({
      ...base,
      channel: "email",
      // @ts-expect-error a bounce needs a messageFailure
      messageDeliveryFeedback: { feedbackStatus: { value: "bounce" } },
      identityMap: { email: [{ id: "john.doe@luma.com" }] },
    });
    createFeedbackEvent({
      ...base,
      channel: "sms",
      messageDeliveryFeedback: { feedbackStatus: { value: "sent" } },
      // @ts-expect-error an sms event needs a phone identity
      identityMap: { email: [{ id: "john.doe@luma.com" }] },
    });
  });
});

describe("the zod schemas agree with the hand-written types", () => {
  it("feedbackEventSchema parses to FeedbackEvent", () => {
    expectTypeOf(feedbackEventSchema.parse({})).toEqualTypeOf<FeedbackEvent>();
  });

  it("each status × channel schema's output is that event type", () => {
    type Out<S extends FeedbackStatus, C extends Channel> = z.output<(typeof receivedEventSchemas)[S][C]>;
    expectTypeOf<Out<"bounce", "email">>().toExtend<BounceEvent<"email">>();
    expectTypeOf<Out<"error", "sms">>().toExtend<ErrorEvent<"sms">>();
    expectTypeOf<Out<"delay", "sms">>().toExtend<DelayEvent<"sms">>();
    expectTypeOf<Out<"exclude", "email">>().toExtend<ExcludeEvent<"email">>();
    expectTypeOf<Out<"sent", "sms">>().toExtend<SentEvent<"sms">>();
    expectTypeOf<Out<"delivered", "email">>().toExtend<DeliveredEvent<"email">>();
    expectTypeOf<Out<"bounce", "email">>().not.toExtend<SentEvent>();
  });
});
