import type { AttemptRecord, DeliveryRecord } from "../storage/storage.js";
import type { Logger } from "./logger.js";

/** A delivery as hooks see it: identifiers and counters, never the body (it names recipients). */
export type DeliverySummary = Pick<
  DeliveryRecord,
  "id" | "configId" | "orgId" | "sandboxName" | "requestId" | "attempts" | "createdAt"
>;

/** Why a delivery became a dead letter. */
export type DeadReason = "max_attempts" | "max_age" | "no_config" | "disabled" | "channel_not_subscribed";

/** The payload of each hook. */
export interface HookEvents {
  /** After every attempt (also failed ones), before the outcome hooks. */
  onAttempt: { delivery: DeliverySummary; attempt: AttemptRecord };
  onDelivered: { delivery: DeliverySummary; attempt: AttemptRecord };
  onRetryScheduled: { delivery: DeliverySummary; attempt: AttemptRecord; retryInMs: number };
  /** `attempt` is absent when the delivery died without one (config gone, maximum age). */
  onDead: { delivery: DeliverySummary; reason: DeadReason; attempt?: AttemptRecord };
  /** The circuit breaker paused the endpoint; its deliveries wait until `pausedUntil`, then one probe. */
  onEndpointPaused: { configId: string; pausedUntil: Date; consecutiveFailures: number };
  /** The dispatcher disabled the webhook (410 Gone, or an outage longer than `disableAfterMs`); deliveries are held. */
  onWebhookDisabled: { configId: string; reason: "gone" | "outage" };
  /** A background failure (storage, signing, a hook that threw). Never thrown into the void. */
  onError: { error: unknown; operation: string; deliveryId?: string };
}

/** A hook: one function or several, sync or async. Their failures go to `onError` and the logger. */
export type Hook<E> = ((event: E) => void | Promise<void>) | ReadonlyArray<(event: E) => void | Promise<void>>;

/** Typed hooks of {@link createDispatcher}. */
export type DispatcherHooks = { [K in keyof HookEvents]?: Hook<HookEvents[K]> };

/** Calls hooks without awaiting them; a hook that throws or rejects is reported, never rethrown. */
export type EmitHook = <K extends keyof HookEvents>(name: K, event: HookEvents[K]) => void;

/**
 * Builds the hook emitter. A failing hook is reported to `onError` (and logged); a failing
 * `onError` is only logged.
 *
 * @example
 * ```ts
 * const emit = createHookEmitter({ onDead: ({ delivery }) => alert(delivery.id) }, log);
 * emit("onDead", { delivery, reason: "max_age" });
 * ```
 */
export function createHookEmitter(hooks: DispatcherHooks, log: Required<Logger>): EmitHook {
  // Listed once: an event that no hook listens to costs a lookup, not an array per emit.
  const lists = new Map<string, ReadonlyArray<(event: never) => void | Promise<void>>>();
  for (const [name, hook] of Object.entries(hooks) as [string, Hook<never> | undefined][]) {
    if (hook !== undefined) lists.set(name, typeof hook === "function" ? [hook] : hook);
  }
  const report = (name: keyof HookEvents, error: unknown) => {
    log.error({ hook: name, error }, `feedback-webhooks: hook ${name} failed`);
    if (name !== "onError") emit("onError", { error, operation: `hook ${name}` });
  };
  const emit: EmitHook = (name, event) => {
    const list = lists.get(name) as ReadonlyArray<(event: HookEvents[typeof name]) => void | Promise<void>> | undefined;
    if (list === undefined) return;
    for (const fn of list) {
      try {
        const result = fn(event);
        if (result instanceof Promise) result.catch((error: unknown) => report(name, error));
      } catch (error) {
        report(name, error);
      }
    }
  };
  return emit;
}

/**
 * Strips a delivery down to what hooks may see.
 *
 * @example
 * ```ts
 * emit("onDelivered", { delivery: summarize(claimed), attempt });
 * ```
 */
export function summarize(delivery: Omit<DeliveryRecord, "attemptLog" | "status">): DeliverySummary {
  const { id, configId, orgId, sandboxName, requestId, attempts, createdAt } = delivery;
  return { id, configId, orgId, sandboxName, requestId, attempts, createdAt };
}
