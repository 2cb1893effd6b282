import type { KeyResolver } from "../auth/index.js";
import type { Clock } from "../clock.js";
import type { RegistryOptions } from "../config/create-registry.js";
import type { FeedbackEvent } from "../schemas/feedback-event.js";
import type { Storage } from "../storage/storage.js";
import type { Transport } from "../transport/transport.js";
import type { DispatcherHooks } from "./hooks.js";
import type { Logger } from "./logger.js";
import type { RetrySchedule } from "./retry-policy.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Every default of {@link createDispatcher}, in one place.
 *
 * @example
 * ```ts
 * createDispatcher({ storage, retry: { schedule: DISPATCHER_DEFAULTS.schedule.slice(0, 5) } });
 * ```
 */
export const DISPATCHER_DEFAULTS = Object.freeze({
  /** About 22.7 hours of retries over 10 attempts. */
  schedule: Object.freeze([
    5 * SECOND,
    30 * SECOND,
    2 * MINUTE,
    10 * MINUTE,
    30 * MINUTE,
    HOUR,
    3 * HOUR,
    6 * HOUR,
    12 * HOUR,
  ]),
  jitter: 0.2,
  maxAgeMs: 3 * DAY,
  maxRetryAfterMs: HOUR,
  timeoutMs: 15 * SECOND,
  globalConcurrency: 32,
  perEndpointConcurrency: 4,
  failureThreshold: 10,
  cooldownMs: MINUTE,
  disableAfterMs: 5 * DAY,
  pollIntervalMs: SECOND,
  idempotencyWindowMs: 7 * DAY,
  deliveredRetentionMs: 30 * DAY,
  deadRetentionMs: 90 * DAY,
  keepResponseBodies: true,
  maintenanceIntervalMs: MINUTE,
  maintenanceBatchSize: 500,
});

/** Retries and dead letters. */
export interface RetryOptions {
  /**
   * Delays after the 1st, 2nd, … failed attempt, or a function of the failed attempt number
   * (1-based) returning a delay or `undefined` to give up.
   * @default [5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h] (10 attempts, ~23 h)
   */
  schedule?: RetrySchedule;
  /** Each delay varies by ±this fraction (proportional, not full jitter). @default 0.2 */
  jitter?: number;
  /** A delivery older than this (since enqueue or redelivery) becomes a dead letter. @default 3 days */
  maxAgeMs?: number;
  /** `Retry-After` is honoured up to this long. @default 1 hour */
  maxRetryAfterMs?: number;
}

/** Concurrency limits, so one slow endpoint cannot starve the others. */
export interface ConcurrencyOptions {
  /** Attempts in flight in this process. @default 32 */
  global?: number;
  /** Attempts in flight per endpoint (configuration) in this process. @default 4 */
  perEndpoint?: number;
  /** Attempts started per second per endpoint in this process; unlimited when absent. */
  perEndpointPerSecond?: number;
}

/** Circuit breaker and auto-disable. State is kept in the storage, shared by every process. */
export interface CircuitBreakerOptions {
  /** Consecutive failures of an endpoint that pause it. @default 10 */
  failureThreshold?: number;
  /** How long a paused endpoint waits before one probe attempt. @default 60 s */
  cooldownMs?: number;
  /** An endpoint failing for this long (no success in between) is disabled with a hook event. @default 5 days */
  disableAfterMs?: number;
}

/** Retention, run by the worker in small batches. */
export interface RetentionOptions {
  /** Delivered deliveries are deleted this long after delivery. @default 30 days */
  deliveredMs?: number;
  /** Dead letters are deleted this long after they died. @default 90 days */
  deadMs?: number;
  /** Keep the first 4 KiB of each response body in the attempt log. @default true */
  keepResponseBodies?: boolean;
  /** How often expiry and pruning run while the worker is active. @default 60 s */
  intervalMs?: number;
  /** Rows per expiry/pruning batch. @default 500 */
  batchSize?: number;
}

/** Options of {@link createDispatcher}. Validated once (every problem listed) and frozen. */
export interface DispatcherOptions {
  /** Configurations and deliveries: `memoryStorage()`, `sqliteStorage()`, `postgresStorage()`. */
  storage: Storage;
  /** Sends the HTTP requests. @default undiciTransport({ allowPrivateNetworks }) */
  transport?: Transport;
  /** Deliver to private, loopback and link-local addresses (tests, demos): passed to the default transport. @default false */
  allowPrivateNetworks?: boolean;
  /** Where time comes from (retry delays, the `webhook-timestamp`, token times). @default systemClock */
  clock?: Clock;
  retry?: RetryOptions;
  /** A number sets the global limit. */
  concurrency?: ConcurrencyOptions | number;
  circuitBreaker?: CircuitBreakerOptions;
  /** Per-attempt timeout: connect, headers and body. @default 15 000 */
  timeoutMs?: number;
  /** Claim lease; renewed during an attempt, and at least 4× `timeoutMs`. @default max(4 × timeoutMs, 60 s) */
  leaseMs?: number;
  /** How often an idle worker looks for due deliveries. @default 1000 */
  pollIntervalMs?: number;
  /** Publishing the same idempotency key again within this window enqueues nothing. @default 7 days */
  idempotencyWindowMs?: number;
  /** Derives the idempotency key of an event. @default {@link defaultIdempotencyKey} */
  idempotencyKey?: (event: FeedbackEvent) => string;
  retention?: RetentionOptions;
  hooks?: DispatcherHooks;
  /** @default warnings and errors to console */
  logger?: Logger;
  /** Decrypts signing keys stored encrypted by the registry: the same value as the registry's `encryptionKey`. */
  encryptionKey?: RegistryOptions["encryptionKey"];
  /** Resolves signing keys stored as `ref` (env var, KMS). */
  keyResolver?: KeyResolver;
}
