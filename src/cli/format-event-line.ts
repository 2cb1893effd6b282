import { IDENTITY_NAMESPACES } from "../schemas/identity-map.js";
import type { AnyFeedbackEvent } from "../schemas/unknown-status-event.js";
import type { Printer } from "./output.js";

const STATUS_STYLES: Record<string, "cyan" | "green" | "yellow" | "magenta" | "red"> = {
  sent: "cyan",
  delivered: "green",
  delay: "yellow",
  exclude: "magenta",
  bounce: "red",
  error: "red",
};

/** The fields of one event line, in order: what someone watching the terminal scans for. */
export interface EventLineContext {
  /** When the request arrived. */
  at: Date;
  /** The `webhook-attempt` header: shown from the second attempt on. */
  attempt?: string | null;
}

function recipient(event: AnyFeedbackEvent): string {
  const namespace = IDENTITY_NAMESPACES[event.channel] ?? "email";
  const identities = event.identityMap[namespace] ?? Object.values(event.identityMap)[0] ?? [];
  return (identities.find((i) => i.primary) ?? identities[0])?.id ?? "?";
}

function why(event: AnyFeedbackEvent): string | undefined {
  const { messageFailure: failure, messageExclusion: exclusion } = event.messageDeliveryFeedback;
  if (failure) return `${failure.reason} (code ${failure.code}, ${failure.type}, ${failure.category})`;
  if (exclusion) return `excluded: ${exclusion.reason} (code ${exclusion.code})`;
  return undefined;
}

/**
 * One readable line per verified event: time, status, channel, recipient, campaign, requestId
 * and, for failures and exclusions, the reason.
 *
 * @example
 * ```ts
 * out.line(formatEventLine(event, { at: new Date() }, out));
 * // 12:03:04  bounce     email  john.doe@luma.com  campaign 16f24a15…  request 8NoByJne…  Admin Failure (code 25, Ignored, sync)
 * ```
 */
export function formatEventLine(event: AnyFeedbackEvent, context: EventLineContext, printer: Printer): string {
  const status = event.messageDeliveryFeedback.feedbackStatus.value;
  const known = status in STATUS_STYLES;
  const parts = [
    printer.paint("dim", context.at.toTimeString().slice(0, 8)),
    printer.paint([STATUS_STYLES[status] ?? "yellow", "bold"], status.padEnd(9)),
    event.channel.padEnd(5),
    recipient(event),
    `campaign ${event.messageExecution.campaignID}`,
    `request ${event.requestId}`,
  ];
  if (!known) parts.push(printer.paint("yellow", "(unknown status: newer than this SDK)"));
  const reason = why(event);
  if (reason !== undefined) parts.push(printer.paint(STATUS_STYLES[status] === "red" ? "red" : "yellow", reason));
  if (context.attempt && context.attempt !== "1") parts.push(printer.paint("dim", `attempt ${context.attempt}`));
  return parts.join("  ");
}
