import { describe, expectTypeOf, it } from "vitest";
import type { HandlerContext, Receiver } from "../../src/receiver/index.js";
import type { AnyFeedbackEvent, MessageExclusion, MessageFailure } from "../../src/schemas/index.js";

declare const receiver: Receiver;

describe("receiver.on narrows the event to the status", () => {
  it("bounce: messageFailure is a MessageFailure", () => {
    receiver.on("bounce", (e) => {
      expectTypeOf(e.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure>();
      expectTypeOf(e.messageDeliveryFeedback.feedbackStatus.value).toEqualTypeOf<"bounce">();
    });
  });

  it("sent: messageFailure and messageExclusion are null", () => {
    receiver.on("sent", (e) => {
      expectTypeOf(e.messageDeliveryFeedback.messageFailure).toEqualTypeOf<null>();
      expectTypeOf(e.messageDeliveryFeedback.messageExclusion).toEqualTypeOf<null>();
    });
  });

  it("exclude: messageExclusion is a MessageExclusion", () => {
    receiver.on("exclude", (e) => {
      expectTypeOf(e.messageDeliveryFeedback.messageExclusion).toEqualTypeOf<MessageExclusion>();
    });
  });

  it("several statuses: the union of their events", () => {
    receiver.on(["bounce", "delay"], (e) => {
      expectTypeOf(e.messageDeliveryFeedback.messageFailure).toEqualTypeOf<MessageFailure | null>();
    });
  });

  it("'*': every event, unknown statuses included", () => {
    receiver.on("*", (e, context) => {
      expectTypeOf(e).toEqualTypeOf<AnyFeedbackEvent>();
      expectTypeOf(context).toEqualTypeOf<HandlerContext>();
    });
  });

  it("the channel still narrows inside a status handler", () => {
    receiver.on("delivered", (e) => {
      if (e.channel === "sms") expectTypeOf(e.identityMap.phone[0].id).toBeString();
    });
  });

  it("refuses an unknown status and chains", () => {
    // @ts-expect-error "opened" is not a known status
    receiver.on("opened", () => {});
    expectTypeOf(receiver.on("sent", () => {})).toEqualTypeOf<Receiver>();
  });

  it("verify and handle", () => {
    expectTypeOf(receiver.verify).returns.resolves.toEqualTypeOf<AnyFeedbackEvent>();
    expectTypeOf(receiver.handle).parameter(0).toEqualTypeOf<Request>();
    expectTypeOf(receiver.handle).returns.resolves.toEqualTypeOf<Response>();
  });
});
