import type { Channel } from "./channel.js";
import type { AnyFeedbackEvent } from "./unknown-status-event.js";

/**
 * True when the event came from `channel`, narrowing it to that channel's type (so an SMS event
 * has `identityMap.phone`). Same as `event.channel === channel`, usable as a callback.
 *
 * @example
 * ```ts
 * const phones = events.filter((e) => hasChannel(e, "sms")).map((e) => e.identityMap.phone[0].id)
 * ```
 */
export function hasChannel<E extends AnyFeedbackEvent, C extends Channel>(
  event: E,
  channel: C,
): event is Extract<E, { channel: C }> {
  return event.channel === channel;
}
