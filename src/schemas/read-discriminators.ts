type Json = Record<string, unknown>;

// Reads like zod reads (inherited properties included), so the schema picked is the one that judges.
function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Json)[key] : undefined;
}

/**
 * The raw `channel` and `messageDeliveryFeedback.feedbackStatus.value` of an unvalidated event,
 * used to pick the one schema that validates it. Never throws.
 *
 * @example
 * ```ts
 * readDiscriminators({ channel: "sms", messageDeliveryFeedback: { feedbackStatus: { value: "sent" } } })
 * // { status: "sent", channel: "sms" }
 * ```
 */
export function readDiscriminators(value: unknown): { status: unknown; channel: unknown } {
  const status = field(field(field(value, "messageDeliveryFeedback"), "feedbackStatus"), "value");
  return { status, channel: field(value, "channel") };
}
