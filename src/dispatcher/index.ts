export { type CircuitBreaker, createCircuitBreaker, type FailureVerdict } from "./circuit-breaker.js";
export {
  createDispatcher,
  type Delivery,
  type DeliveryPage,
  type Dispatcher,
  type ListDeliveriesOptions,
} from "./create-dispatcher.js";
export { createDeliveryIdGenerator } from "./delivery-id.js";
export { deliveryHeaders, USER_AGENT } from "./delivery-headers.js";
export {
  type CircuitBreakerOptions,
  type ConcurrencyOptions,
  DISPATCHER_DEFAULTS,
  type DispatcherOptions,
  type RetentionOptions,
  type RetryOptions,
} from "./dispatcher-options.js";
export type { DeadReason, DeliverySummary, DispatcherHooks, Hook, HookEvents } from "./hooks.js";
export { defaultIdempotencyKey } from "./idempotency-key.js";
export type { LogMethod, Logger } from "./logger.js";
export { parseRetryAfter } from "./parse-retry-after.js";
export type { PublishInput, PublishManyOptions, PublishOptions, PublishResult, SkipReason } from "./publish.js";
export { redactFields, redactText } from "./redact.js";
export { type GiveUpReason, nextRetry, type RetryPolicy, type RetrySchedule } from "./retry-policy.js";
export type { EndpointStats } from "./stats.js";
export type { WorkerState } from "./worker.js";
export type {
  AttemptRecord,
  CampaignKey,
  ClaimedDelivery,
  ClaimQuery,
  ConfigRecord,
  ConfigStorage,
  DeliveryBacklog,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryStatus,
  DeliveryStorage,
  EndpointFailurePolicy,
  EndpointState,
  EnqueueOptions,
  EnqueueResult,
  ListConfigsQuery,
  ListDeliveriesQuery,
  NewDelivery,
  PruneQuery,
  Settlement,
  Storage,
} from "../storage/storage.js";
