import { Agent, request } from "undici";
import { createRegistry } from "../../src/config/index.js";
import { createDispatcher, type Dispatcher, type DispatcherOptions, type Logger } from "../../src/dispatcher/index.js";
import type { FeedbackEvent } from "../../src/schemas/index.js";
import type { Storage } from "../../src/storage/storage.js";
import { undiciTransport } from "../../src/transport/index.js";
import type { AuthInput } from "../../src/config/auth-config-schema.js";
import { CAMPAIGN_ID, endpointConfig, orgOf, SANDBOX } from "./fixtures.js";

/** Attempts in flight, for the dispatcher and for the raw loop it is compared with. */
export const CONCURRENCY = 32;

/** Logs only what would invalidate a measurement, once per message. */
export function quietLogger(): Logger & { problems: number } {
  const seen = new Set<string>();
  const logger = {
    problems: 0,
    info: () => undefined,
    warn: (_fields: Record<string, unknown>, message: string) => logger.report(message),
    error: (fields: Record<string, unknown>, message: string) =>
      logger.report(`${message} ${String(fields.error ?? "")}`),
    report(message: string) {
      logger.problems++;
      if (seen.has(message)) return;
      seen.add(message);
      process.stderr.write(`  dispatcher: ${message}\n`);
    },
  };
  return logger;
}

/** Creates `endpoints` configurations pointing at `origin` and turns the bench campaign on for each. */
export async function createEndpoints(
  storage: Storage,
  origin: string,
  endpoints: number,
  auth?: AuthInput,
): Promise<void> {
  const registry = createRegistry({ storage });
  for (let i = 0; i < endpoints; i++) {
    await registry.create(endpointConfig(i, origin, auth));
    await registry.enableCampaign({ orgId: orgOf(i), sandboxName: SANDBOX.name, campaignId: CAMPAIGN_ID });
  }
}

/** Publishes in batches of `batch` (not timed by the caller); fails if anything is skipped. */
export async function publishAll(
  dispatcher: Pick<Dispatcher, "publishMany">,
  events: readonly FeedbackEvent[],
  batch = 1000,
): Promise<void> {
  for (let i = 0; i < events.length; i += batch) {
    const results = await dispatcher.publishMany(events.slice(i, i + batch));
    const bad = results.find((r) => r.status !== "enqueued" || r.duplicate);
    if (bad) throw new Error(`publish did not enqueue: ${JSON.stringify(bad)}`);
  }
}

/** How far a timed drain got. */
export interface Drained {
  delivered: number;
  ms: number;
  /** Deliveries per second over the drain. */
  rate: number;
  /** True when the time cap ended the drain before every delivery was made. */
  capped: boolean;
}

/** A dispatcher wired for the bench: its own undici transport, fixed concurrency, delivery counting. */
export interface BenchDispatcher {
  dispatcher: Dispatcher;
  /**
   * Starts the dispatcher and resolves when `count` deliveries were delivered and recorded, or
   * when `capMs` has passed (bounded run time whatever the speed); rejects on any failed attempt.
   */
  drain(count: number, capMs: number): Promise<Drained>;
  readonly deliveredCount: number;
  close(): Promise<void>;
}

/** Options of {@link benchDispatcher}. */
export interface BenchDispatcherOptions {
  storage: Storage;
  concurrency?: number;
  /** Called on every delivery (after it is recorded). */
  onDelivered?: (count: number) => void;
  extra?: Partial<DispatcherOptions>;
}

/**
 * A dispatcher with `concurrency` attempts in flight overall and per endpoint (so one endpoint
 * can use them all, like the raw loop), and a keep-alive pool of as many connections.
 */
export function benchDispatcher(options: BenchDispatcherOptions): BenchDispatcher {
  const concurrency = options.concurrency ?? CONCURRENCY;
  const transport = undiciTransport({ allowPrivateNetworks: true, connectionsPerOrigin: concurrency });
  const logger = quietLogger();
  let count = 0;
  let failure: Error | undefined;
  let waiter: { target: number; done: () => void; fail: (e: Error) => void } | undefined;
  const fail = (message: string) => {
    failure ??= new Error(message);
    waiter?.fail(failure);
  };
  const dispatcher = createDispatcher({
    storage: options.storage,
    transport,
    concurrency: { global: concurrency, perEndpoint: concurrency },
    logger,
    ...options.extra,
    hooks: {
      onDelivered: () => {
        count++;
        options.onDelivered?.(count);
        if (waiter && count >= waiter.target) waiter.done();
      },
      onRetryScheduled: ({ attempt }) =>
        fail(`an attempt failed (${attempt.error ?? attempt.statusCode}); the measurement is void`),
      onDead: ({ reason }) => fail(`a delivery died (${reason}); the measurement is void`),
      onError: ({ error, operation }) => fail(`${operation} failed: ${String(error)}`),
    },
  });
  return {
    dispatcher,
    get deliveredCount() {
      return count;
    },
    drain(target, capMs) {
      const start = count;
      const t0 = performance.now();
      const result = (): Drained => {
        const ms = performance.now() - t0;
        const delivered = count - start;
        return { delivered, ms, rate: (delivered * 1000) / ms, capped: delivered < target };
      };
      return new Promise<Drained>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          resolve(result());
        }, capMs);
        waiter = {
          target: start + target,
          done: () => {
            clearTimeout(timer);
            waiter = undefined;
            resolve(result());
          },
          fail: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        if (failure) waiter.fail(failure);
        dispatcher.start();
      });
    },
    async close() {
      await dispatcher.stop({ timeoutMs: 10_000 });
      await transport.close?.();
    },
  };
}

/**
 * The limit: `count` POSTs of the same bodies to `url` from `concurrency` loops over one undici
 * keep-alive pool of as many connections — no storage, no signing, nothing but HTTP. Returns
 * requests per second.
 */
export async function rawPostLoop(
  url: string,
  bodies: readonly string[],
  count: number,
  concurrency = CONCURRENCY,
): Promise<number> {
  const agent = new Agent({ connections: concurrency });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const body = bodies[next++ % bodies.length]!;
        const res = await request(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          dispatcher: agent,
        });
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`raw loop: HTTP ${res.statusCode}`);
      }
    }),
  );
  const rate = (count * 1000) / (performance.now() - t0);
  await agent.close();
  return rate;
}

/** Options of {@link drainOnce}. */
export interface DrainOnceOptions {
  /** A fresh, empty storage for this run; closed afterwards. */
  storage: Storage;
  origin: string;
  events: readonly FeedbackEvent[];
  endpoints?: number;
  auth?: AuthInput;
  capMs: number;
  concurrency?: number;
}

/**
 * One measured run: creates the endpoints, publishes every event (not timed), then starts a
 * dispatcher and times the drain until every delivery is recorded as delivered (or `capMs`).
 */
export async function drainOnce(options: DrainOnceOptions): Promise<Drained> {
  const { storage } = options;
  try {
    await createEndpoints(storage, options.origin, options.endpoints ?? 1, options.auth);
    const bench = benchDispatcher({
      storage,
      ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    });
    try {
      await publishAll(bench.dispatcher, options.events);
      return await bench.drain(options.events.length, options.capMs);
    } finally {
      await bench.close();
    }
  } finally {
    await storage.close();
  }
}
