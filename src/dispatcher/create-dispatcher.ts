import { createRegistry, type RegistryOptions } from "../config/create-registry.js";
import { DeliveryNotFoundError, InvalidStateError } from "../errors.js";
import type { DeliveryRecord, DeliveryStatus } from "../storage/storage.js";
import { undiciTransport } from "../transport/undici-transport.js";
import type { AttemptContext } from "./attempt-context.js";
import { createCircuitBreaker } from "./circuit-breaker.js";
import { createConfigCache } from "./config-cache.js";
import { createDeliveryIdGenerator } from "./delivery-id.js";
import type { DispatcherOptions } from "./dispatcher-options.js";
import { createHookEmitter } from "./hooks.js";
import { safeLogger } from "./logger.js";
import {
  createPublisher,
  type PublishInput,
  type PublishManyOptions,
  type PublishOptions,
  type PublishResult,
} from "./publish.js";
import { createRateLimiter } from "./rate-limiter.js";
import { resolveDispatcherOptions } from "./resolve-dispatcher-options.js";
import { createSignerCache } from "./signer-cache.js";
import { createAttemptWindow, type EndpointStats, mergeStats } from "./stats.js";
import { createWorker, type WorkerState } from "./worker.js";

/** A delivery with its full attempt log (time, HTTP status, duration, error, first 4 KiB of the body). */
export type Delivery = DeliveryRecord;

/** Filters of `deliveries.list`; newest first. */
export interface ListDeliveriesOptions {
  status?: DeliveryStatus;
  requestId?: string;
  orgId?: string;
  configId?: string;
  /** Only deliveries created at or after this instant. */
  since?: Date;
  /** 1–1000. @default 100 */
  limit?: number;
  /** The previous page's `nextCursor`. */
  cursor?: string;
}

/** A page of deliveries. */
export interface DeliveryPage {
  items: Delivery[];
  /** Absent on the last page. */
  nextCursor?: string;
}

/** The sending side: publishes feedback events and delivers them at least once. */
export interface Dispatcher {
  /** Validates, routes and durably enqueues one event (or skips it with a reason). Idempotent. */
  publish(event: PublishInput, options?: PublishOptions): Promise<PublishResult>;
  /** Like `publish` for many events, validated together and enqueued atomically. */
  publishMany(events: readonly PublishInput[], options?: PublishManyOptions): Promise<PublishResult[]>;
  /** `created → active`: starts claiming and delivering. */
  start(): void;
  /** `active → stopping → stopped`: drains attempts in flight (up to `timeoutMs`, default 30 s), then releases the rest. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  readonly state: WorkerState;
  /** Without `start()`: one claim round, resolved when settled (cron jobs, serverless, tests). */
  runOnce(): Promise<number>;
  deliveries: {
    get(id: string): Promise<Delivery | undefined>;
    list(options?: ListDeliveriesOptions): Promise<DeliveryPage>;
  };
  /** Puts a dead letter back in the queue for a new round of attempts. */
  redeliver(id: string): Promise<Delivery>;
  /** Redelivers every dead letter that died since `since` (at most `limit`, default 1000). Returns the count. */
  redeliverDead(options: { since: Date; limit?: number }): Promise<number>;
  /** Re-enables a webhook the dispatcher disabled itself (410, outage): its held deliveries resume. */
  resumeWebhook(configId: string): Promise<void>;
  /** Erases every delivery and attempt of a recipient (any `identityMap` id). Returns the count. */
  purge(options: { identity: string }): Promise<number>;
  /** Per endpoint: backlog, age of the oldest due delivery, success rate, latency p50/p99, breaker state. */
  stats(): Promise<EndpointStats[]>;
}

/**
 * Creates the dispatcher: durable at-least-once delivery with retries, a circuit breaker,
 * concurrency and rate limits, over a pluggable storage and transport.
 *
 * @example
 * ```ts
 * const storage = memoryStorage();
 * const registry = createRegistry({ storage });
 * const dispatcher = createDispatcher({ storage, hooks: { onDead: ({ delivery }) => alert(delivery.id) } });
 * dispatcher.start();
 * const result = await dispatcher.publish(event); // { status: "enqueued", deliveryId, duplicate: false }
 * await dispatcher.stop({ timeoutMs: 10_000 });
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const o = resolveDispatcherOptions(options);
  const { storage } = options;
  const registryOptions: RegistryOptions = {
    storage,
    clock: o.clock,
    ...(options.encryptionKey !== undefined && { encryptionKey: options.encryptionKey }),
  };
  const registry = createRegistry(registryOptions);
  const ownsTransport = options.transport === undefined;
  const transport =
    options.transport ?? undiciTransport({ allowPrivateNetworks: options.allowPrivateNetworks === true });
  const log = safeLogger(o.logger);
  const ctx: AttemptContext = {
    storage,
    configs: createConfigCache(registry),
    transport,
    signers: createSignerCache({ keyResolver: options.keyResolver, clock: o.clock }),
    breaker: createCircuitBreaker({ storage, ...o }),
    limiter: createRateLimiter(o.perEndpointPerSecond, o.clock),
    window: createAttemptWindow(),
    options: o,
    emit: createHookEmitter(o.hooks, log),
    log,
    random: Math.random,
  };
  const worker = createWorker(ctx, async () => {
    if (ownsTransport) await transport.close?.();
  });
  const publisher = createPublisher({
    storage,
    registry,
    options: o,
    nextId: createDeliveryIdGenerator(o.clock),
    onEnqueued: () => worker.wake(),
  });

  return {
    publish: publisher.publish,
    publishMany: publisher.publishMany,
    start: () => worker.start(),
    stop: (opts) => worker.stop(opts),
    get state() {
      return worker.state;
    },
    runOnce: () => worker.runOnce(),
    deliveries: {
      get: (id) => storage.getDelivery(id),
      async list(query = {}) {
        const limit = Math.min(Math.max(Math.trunc(query.limit ?? 100), 1), 1000);
        const rows = await storage.listDeliveries({ ...query, limit: limit + 1 });
        const items = rows.slice(0, limit);
        const last = items.at(-1);
        return rows.length > limit && last ? { items, nextCursor: last.id } : { items };
      },
    },
    async redeliver(id) {
      const current = await storage.getDelivery(id);
      if (current === undefined) throw new DeliveryNotFoundError(id);
      if (current.status !== "dead") {
        throw new InvalidStateError(`Delivery ${id} is ${current.status}; only dead deliveries can be redelivered.`);
      }
      const delivery = await storage.redeliverDelivery(id);
      if (delivery === undefined) throw new DeliveryNotFoundError(id);
      worker.wake();
      return delivery;
    },
    async redeliverDead({ since, limit = 1000 }) {
      const count = await storage.redeliverDead({ since, limit });
      if (count > 0) worker.wake();
      return count;
    },
    async resumeWebhook(configId) {
      await ctx.breaker.resume(configId);
      worker.wake();
    },
    purge: ({ identity }) => storage.purgeDeliveries({ identity }),
    async stats() {
      const [backlog, states] = await Promise.all([storage.deliveryBacklog(), storage.listEndpointStates()]);
      return mergeStats(backlog, states, ctx.window, o.clock.now());
    },
  };
}
