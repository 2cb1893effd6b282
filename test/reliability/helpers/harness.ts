import { expect } from "vitest";
import type { Clock } from "../../../src/clock.js";
import { createRegistry } from "../../../src/config/create-registry.js";
import type { WebhookConfig } from "../../../src/config/webhook-config.js";
import type { WebhookConfigInput } from "../../../src/config/webhook-config-schema.js";
import {
  createDispatcher,
  type Delivery,
  type Dispatcher,
  type DispatcherOptions,
  type HookEvents,
} from "../../../src/dispatcher/index.js";
import type { Logger } from "../../../src/dispatcher/logger.js";
import { memoryStorage } from "../../../src/storage/memory/index.js";
import type { DeliveryStatus, Storage } from "../../../src/storage/storage.js";
import { createManualClock, type ManualClock } from "../../../src/testing/manual-clock.js";
import { undiciTransport } from "../../../src/transport/index.js";
import { CAMPAIGN, eventNo, ORG, SANDBOX } from "./events.js";
import type { Figures } from "./figures.js";

/** A logger that keeps everything (nothing reaches the console). */
export function quietLogger(): Logger & { lines: Array<{ level: string; fields: unknown; message: string }> } {
  const lines: Array<{ level: string; fields: unknown; message: string }> = [];
  const at = (level: string) => (fields: unknown, message: string) => {
    lines.push({ level, fields, message });
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A dispatcher wired to one endpoint, on an injected clock (or the real one, for SQL storages shared with other processes). */
export interface Rig<C extends Clock = ManualClock> {
  clock: C;
  storage: Storage;
  config: WebhookConfig;
  dispatcher: Dispatcher;
  logger: ReturnType<typeof quietLogger>;
  /** Every hook event, by hook name. */
  hooks: { [K in keyof HookEvents]: HookEvents[K][] };
  /** Publishes events `from … from + count - 1` and returns their delivery ids. */
  publish(count: number, from?: number): Promise<string[]>;
}

/** Options of {@link createRig}. */
export interface RigOptions<C extends Clock = ManualClock> {
  url: string;
  /** @default memoryStorage on the rig's clock */
  storage?: Storage;
  /** @default a manual clock at 2025-01-01 */
  clock?: C;
  dispatcher?: Partial<DispatcherOptions>;
  config?: Partial<WebhookConfigInput>;
  /** Keep every hook event in `rig.hooks` (load tests turn it off: it grows with every attempt). @default true */
  recordHooks?: boolean;
}

/**
 * Configures one webhook to `url` (loopback allowed explicitly) and builds a dispatcher over the
 * undici transport with a manual clock, hooks recorded. Never started: drive it with {@link settle}.
 *
 * @example
 * ```ts
 * const rig = await createRig({ url: server.url, dispatcher: { timeoutMs: 300 } });
 * const ids = await rig.publish(20);
 * await settle(rig);
 * ```
 */
export async function createRig<C extends Clock = ManualClock>(options: RigOptions<C>): Promise<Rig<C>> {
  const clock = options.clock ?? (createManualClock(Date.UTC(2025, 0, 1)) as unknown as C);
  const storage = options.storage ?? memoryStorage({ clock });
  const registry = createRegistry({ storage, clock, allowPrivateNetworks: true });
  const config = await registry.create({
    orgId: ORG,
    sandbox: SANDBOX,
    name: "Reliability endpoint",
    channels: ["email", "sms"],
    url: options.url,
    allowHttp: options.url.startsWith("http:"),
    auth: { type: "none" },
    ...options.config,
  });
  await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
  const hooks = {
    onAttempt: [],
    onDelivered: [],
    onRetryScheduled: [],
    onDead: [],
    onEndpointPaused: [],
    onWebhookDisabled: [],
    onError: [],
  } as Rig["hooks"];
  const record = Object.fromEntries(
    Object.keys(hooks).map((name) => [name, (event: never) => void hooks[name as keyof HookEvents].push(event)]),
  );
  const logger = quietLogger();
  const dispatcher = createDispatcher({
    storage,
    clock,
    logger,
    transport: undiciTransport({ allowPrivateNetworks: true }),
    timeoutMs: 300,
    hooks: options.recordHooks === false ? {} : record,
    ...options.dispatcher,
  });
  return {
    clock,
    storage,
    config,
    dispatcher,
    logger,
    hooks,
    async publish(count, from = 0) {
      const ids: string[] = [];
      for (let start = from; start < from + count; start += 500) {
        const batch = Array.from({ length: Math.min(500, from + count - start) }, (_, i) => eventNo(start + i));
        for (const result of await dispatcher.publishMany(batch)) {
          if (result.status !== "enqueued") throw new Error(`publish skipped: ${result.reason}`);
          ids.push(result.deliveryId);
        }
      }
      return ids;
    },
  };
}

/** Every delivery in a status, paging through the storage. */
export async function listAll(storage: Storage, status?: DeliveryStatus): Promise<Delivery[]> {
  const out: Delivery[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await storage.listDeliveries({ ...(status && { status }), limit: 1000, cursor });
    out.push(...page);
    if (page.length < 1000) return out;
    cursor = page.at(-1)!.id;
  }
}

/**
 * Runs claim rounds, and whenever nothing is due jumps the manual clock to the next instant
 * something will be (a retry, a lease expiry, the end of a circuit-breaker pause), until every
 * delivery is delivered, dead or held by a suspended webhook. Retry delays never cost real time.
 *
 * @returns the number of attempts started.
 */
export async function settle(rig: Pick<Rig, "dispatcher" | "storage" | "clock">, maxRounds = 50_000): Promise<number> {
  const { dispatcher, storage, clock } = rig;
  let attempts = 0;
  for (let round = 0; round < maxRounds; round++) {
    const started = await dispatcher.runOnce();
    attempts += started;
    if (started > 0) continue;
    const open = [...(await listAll(storage, "pending")), ...(await listAll(storage, "in_flight"))];
    const states = await storage.listEndpointStates();
    const suspended = new Set(states.filter((s) => s.suspendedReason !== undefined).map((s) => s.configId));
    const waiting = open.filter((d) => !suspended.has(d.configId));
    if (waiting.length === 0) return attempts;
    const now = clock.now();
    const pausedUntil = new Map(states.flatMap((s) => (s.pausedUntil ? [[s.configId, s.pausedUntil.getTime()]] : [])));
    // A paused endpoint's deliveries are due when both their own time and the pause have come.
    const next = Math.min(...waiting.map((d) => Math.max(d.availableAt.getTime(), pausedUntil.get(d.configId) ?? 0)));
    // Something due but not claimed (a pause that just ended, a limit): move a little.
    clock.set(Math.max(next, now + 1));
  }
  throw new Error(`deliveries did not settle in ${maxRounds} rounds`);
}

/** The outcome of a run, checked against the invariants every scenario shares. */
export interface Outcome {
  deliveries: Delivery[];
  figures: Omit<Figures, "scenario" | "notes">;
}

/**
 * Checks that no published delivery vanished: each one exists, is `delivered` or `dead` (or, with
 * `allowHeld`, still `pending`), and has a complete attempt log — numbered 1…n, each failure with
 * an error, the last attempt of a delivered one a 2xx. Returns the figures.
 *
 * @example
 * ```ts
 * const { figures } = await checkNoneLost(rig.storage, ids, server.processed);
 * ```
 */
export async function checkNoneLost(
  storage: Storage,
  ids: readonly string[],
  processed: ReadonlyMap<string, number>,
  options: { allowHeld?: boolean } = {},
): Promise<Outcome> {
  const deliveries: Delivery[] = [];
  let lost = 0;
  for (const id of ids) {
    const d = await storage.getDelivery(id);
    if (
      d === undefined ||
      !(d.status === "delivered" || d.status === "dead" || (options.allowHeld && d.status === "pending"))
    ) {
      lost += 1;
      continue;
    }
    deliveries.push(d);
    expect(d.attemptLog.length, `${id}: attempt log vs counter`).toBe(d.attempts);
    expect(
      d.attemptLog.map((a) => a.attempt),
      `${id}: attempts numbered 1…n`,
    ).toEqual(Array.from({ length: d.attempts }, (_, i) => i + 1));
    for (const a of d.attemptLog) {
      const ok = a.statusCode !== undefined && a.statusCode >= 200 && a.statusCode < 300;
      if (!ok) expect(a.error, `${id}: attempt ${a.attempt} failed without an error`).toBeTruthy();
      expect(a.durationMs).toBeGreaterThanOrEqual(0);
    }
    if (d.status === "delivered") {
      const last = d.attemptLog.at(-1);
      expect(last?.statusCode, `${id}: delivered without a 2xx attempt`).toBeGreaterThanOrEqual(200);
      expect(last?.statusCode).toBeLessThan(300);
    }
    if (d.status === "dead") expect(d.deadReason, `${id}: dead without a reason`).toBeTruthy();
  }
  expect(lost, "published deliveries that are neither delivered nor dead").toBe(0);
  const duplicated = ids.filter((id) => (processed.get(id) ?? 0) > 1).length;
  return {
    deliveries,
    figures: {
      sent: ids.length,
      delivered: deliveries.filter((d) => d.status === "delivered").length,
      dead: deliveries.filter((d) => d.status === "dead").length,
      duplicated,
      lost,
    },
  };
}

/** Resolves when `predicate` holds, polling every 10 ms of real time; rejects after `timeoutMs`. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Like {@link settle} on the real clock (SQL storages time leases themselves): claim rounds until
 * nothing is pending or in flight, sleeping 50 ms whenever nothing is due.
 */
export async function settleRealTime(
  rig: Pick<Rig<Clock>, "dispatcher" | "storage">,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await rig.dispatcher.runOnce()) > 0) continue;
    const open = (await listAll(rig.storage, "pending")).length + (await listAll(rig.storage, "in_flight")).length;
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} deliveries still open after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
