import { ConfigValidationError, type Issue } from "../errors.js";
import { FEEDBACK_STATUSES } from "../schemas/feedback-status.js";
import { feedbackStatusOf } from "../schemas/feedback-status-of.js";
import type { AnyFeedbackEvent } from "../schemas/unknown-status-event.js";
import type { FeedbackHandler, HandlerContext } from "./receiver.js";

/** The handlers of one receiver, by status, in registration order. */
export interface HandlerRegistry {
  /** Adds `handler` for each of `statuses` (a status or `"*"`); throws on an unknown status. */
  add(statuses: string | readonly string[], handler: FeedbackHandler): void;
  /** Runs the handlers matching `event`, one after the other; rejects with the first failure. */
  run(event: AnyFeedbackEvent, context: HandlerContext): Promise<void>;
}

const KNOWN: ReadonlySet<string> = new Set([...FEEDBACK_STATUSES, "*"]);

/**
 * Creates the handler table behind `receiver.on`.
 *
 * @example
 * ```ts
 * const handlers = createHandlerRegistry();
 * handlers.add("bounce", (event) => console.log(event.requestId));
 * await handlers.run(event, context);
 * ```
 */
export function createHandlerRegistry(): HandlerRegistry {
  // One ordered list, so "*" and status handlers keep their relative registration order.
  const entries: Array<{ statuses: ReadonlySet<string>; handler: FeedbackHandler }> = [];
  return {
    add(statuses, handler) {
      const list = typeof statuses === "string" ? [statuses] : [...statuses];
      const issues: Issue[] = [];
      if (list.length === 0) issues.push({ path: "status", message: "give at least one status" });
      for (const [i, s] of list.entries()) {
        if (!KNOWN.has(s)) {
          issues.push({ path: `status[${i}]`, message: `unknown status ${JSON.stringify(s)}; use one of ${[...KNOWN].join(", ")}` });
        }
      }
      if (typeof handler !== "function") issues.push({ path: "handler", message: "must be a function" });
      if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid receiver.on() call" });
      entries.push({ statuses: new Set(list), handler });
    },
    async run(event, context) {
      const status = feedbackStatusOf(event);
      for (const { statuses, handler } of entries) {
        if (statuses.has("*") || statuses.has(status)) await handler(event, context);
      }
    },
  };
}
