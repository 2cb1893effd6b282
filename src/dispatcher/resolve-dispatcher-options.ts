import { type Clock, systemClock } from "../clock.js";
import { ConfigValidationError, type Issue } from "../errors.js";
import type { FeedbackEvent } from "../schemas/feedback-event.js";
import { DISPATCHER_DEFAULTS as D, type DispatcherOptions } from "./dispatcher-options.js";
import type { DispatcherHooks } from "./hooks.js";
import { defaultIdempotencyKey } from "./idempotency-key.js";
import { defaultLogger, type Logger } from "./logger.js";
import type { RetryPolicy } from "./retry-policy.js";

/** {@link DispatcherOptions} after validation, flattened, with every default applied. */
export interface ResolvedDispatcherOptions {
  clock: Clock;
  retry: RetryPolicy;
  globalConcurrency: number;
  perEndpointConcurrency: number;
  perEndpointPerSecond: number | undefined;
  failureThreshold: number;
  cooldownMs: number;
  disableAfterMs: number;
  timeoutMs: number;
  leaseMs: number;
  pollIntervalMs: number;
  idempotencyWindowMs: number;
  idempotencyKey: (event: FeedbackEvent) => string;
  deliveredRetentionMs: number;
  deadRetentionMs: number;
  keepResponseBodies: boolean;
  maintenanceIntervalMs: number;
  maintenanceBatchSize: number;
  hooks: DispatcherHooks;
  logger: Logger;
}

const STORAGE_METHODS = ["getConfig", "getConfigById", "enqueueDeliveries", "claimDeliveries", "settleDelivery"];

/**
 * Validates {@link DispatcherOptions} once, listing every problem in one `ConfigValidationError`,
 * and returns them frozen with defaults applied.
 *
 * @example
 * ```ts
 * const resolved = resolveDispatcherOptions({ storage, retry: { schedule: [1000, 5000] } });
 * ```
 */
export function resolveDispatcherOptions(options: DispatcherOptions): Readonly<ResolvedDispatcherOptions> {
  const issues: Issue[] = [];
  const num = (path: string, value: number | undefined, fallback: number, min: number, integer = true): number => {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      issues.push({ path, message: `must be ${integer ? "an integer" : "a number"} ≥ ${min}, got ${String(value)}` });
    }
    return value;
  };
  const storage = options?.storage as unknown as Record<string, unknown> | undefined;
  if (
    typeof storage !== "object" ||
    storage === null ||
    STORAGE_METHODS.some((m) => typeof storage[m] !== "function")
  ) {
    issues.push({ path: "storage", message: "must implement the Storage port, e.g. memoryStorage()" });
  }
  if (options?.transport !== undefined && typeof options.transport?.send !== "function") {
    issues.push({ path: "transport", message: "must have a send(request) method, e.g. undiciTransport()" });
  }
  const retry = options?.retry ?? {};
  const schedule = retry.schedule ?? D.schedule;
  if (typeof schedule !== "function") {
    if (!Array.isArray(schedule) || schedule.some((ms) => typeof ms !== "number" || !Number.isFinite(ms) || ms < 0)) {
      issues.push({ path: "retry.schedule", message: "must be a list of delays in ms (each ≥ 0) or a function" });
    }
  }
  const jitter = num("retry.jitter", retry.jitter, D.jitter, 0, false);
  if (jitter > 1) issues.push({ path: "retry.jitter", message: "must be between 0 and 1 (a fraction of each delay)" });
  const concurrency =
    typeof options?.concurrency === "number" ? { global: options.concurrency } : (options?.concurrency ?? {});
  const breaker = options?.circuitBreaker ?? {};
  const retention = options?.retention ?? {};
  const timeoutMs = num("timeoutMs", options?.timeoutMs, D.timeoutMs, 1);
  const leaseMs = num("leaseMs", options?.leaseMs, Math.max(4 * timeoutMs, 60_000), 1);
  if (options?.leaseMs !== undefined && leaseMs < 4 * timeoutMs) {
    issues.push({
      path: "leaseMs",
      message: `must be at least 4 × timeoutMs (${4 * timeoutMs}) so a live attempt keeps its lease`,
    });
  }
  const perSecond = concurrency.perEndpointPerSecond;
  const resolved: ResolvedDispatcherOptions = {
    clock: options?.clock ?? systemClock,
    retry: {
      schedule: typeof schedule === "function" ? schedule : Object.freeze([...schedule]),
      jitter,
      maxAgeMs: num("retry.maxAgeMs", retry.maxAgeMs, D.maxAgeMs, 1),
      maxRetryAfterMs: num("retry.maxRetryAfterMs", retry.maxRetryAfterMs, D.maxRetryAfterMs, 0),
    },
    globalConcurrency: num("concurrency.global", concurrency.global, D.globalConcurrency, 1),
    perEndpointConcurrency: num("concurrency.perEndpoint", concurrency.perEndpoint, D.perEndpointConcurrency, 1),
    perEndpointPerSecond:
      perSecond === undefined ? undefined : num("concurrency.perEndpointPerSecond", perSecond, 0, 0.001, false),
    failureThreshold: num("circuitBreaker.failureThreshold", breaker.failureThreshold, D.failureThreshold, 1),
    cooldownMs: num("circuitBreaker.cooldownMs", breaker.cooldownMs, D.cooldownMs, 0),
    disableAfterMs: num("circuitBreaker.disableAfterMs", breaker.disableAfterMs, D.disableAfterMs, 1),
    timeoutMs,
    leaseMs,
    pollIntervalMs: num("pollIntervalMs", options?.pollIntervalMs, D.pollIntervalMs, 1),
    idempotencyWindowMs: num("idempotencyWindowMs", options?.idempotencyWindowMs, D.idempotencyWindowMs, 0),
    idempotencyKey: options?.idempotencyKey ?? defaultIdempotencyKey,
    deliveredRetentionMs: num("retention.deliveredMs", retention.deliveredMs, D.deliveredRetentionMs, 0),
    deadRetentionMs: num("retention.deadMs", retention.deadMs, D.deadRetentionMs, 0),
    keepResponseBodies: retention.keepResponseBodies ?? D.keepResponseBodies,
    maintenanceIntervalMs: num("retention.intervalMs", retention.intervalMs, D.maintenanceIntervalMs, 1),
    maintenanceBatchSize: num("retention.batchSize", retention.batchSize, D.maintenanceBatchSize, 1),
    hooks: Object.freeze({ ...(options?.hooks ?? {}) }),
    logger: options?.logger ?? defaultLogger,
  };
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid createDispatcher options" });
  return Object.freeze(resolved);
}
