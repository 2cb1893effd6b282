import { defaultMaxListeners, setMaxListeners } from "node:events";
import { InvalidStateError } from "../errors.js";
import type { ClaimedDelivery, ClaimQuery } from "../storage/storage.js";
import type { AttemptContext } from "./attempt-context.js";
import { attemptDelivery } from "./attempt-delivery.js";
import { createLeaseRenewer } from "./lease-renewer.js";
import { runMaintenance } from "./run-maintenance.js";
import { createSettleBatcher } from "./settle-batcher.js";

/** Longest a freed slot waits for others before the worker claims for it anyway. */
const CLAIM_WINDOW_MS = 5;

/** The worker's life: `created → active → stopping → stopped`. A stopped worker cannot restart. */
export type WorkerState = "created" | "active" | "stopping" | "stopped";

/** Claims due deliveries and attempts them within the concurrency, rate and breaker limits. */
export interface Worker {
  readonly state: WorkerState;
  /** `created → active`. A no-op when already active; throws `InvalidStateError` once stopping or stopped. */
  start(): void;
  /**
   * `active → stopping → stopped`: stops claiming, waits up to `timeoutMs` for attempts in flight,
   * then aborts the rest and gives their claims back. Resolves when everything is released.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** In `created` state only: one claim round, resolved when its attempts are settled. Returns how many were attempted. */
  runOnce(): Promise<number>;
  /** Looks for due deliveries now instead of at the next poll (after a publish). */
  wake(): void;
}

interface InFlight {
  configId: string;
  /** Shared by the attempts one claim round started (see `roundController`). */
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Creates the worker. `onStopped` runs once after the last claim is released (closing an owned
 * transport).
 *
 * @example
 * ```ts
 * const worker = createWorker(ctx, async () => transport.close?.());
 * worker.start();
 * await worker.stop({ timeoutMs: 10_000 });
 * ```
 */
export function createWorker(ctx: AttemptContext, onStopped: () => Promise<void>): Worker {
  const { storage, breaker, limiter, options: o } = ctx;
  let state: WorkerState = "created";
  const inFlight = new Map<string, InFlight>();
  const perConfig = new Map<string, number>();
  let wakeUp: (() => void) | undefined;
  // A wake that arrives while the loop is busy claiming must not be lost.
  let woken = false;
  let loopDone: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  let lastMaintenance = Number.NEGATIVE_INFINITY;
  let lastLookPast = Number.NEGATIVE_INFINITY;
  // Every attempt in flight may still settle: when all of them wait, nothing else joins a batch.
  const batcher = createSettleBatcher(storage, () => inFlight.size);
  // A claim is a commit (an fsync on SQLite): claim once this many slots are free, not per slot.
  const claimThreshold = Math.max(1, Math.ceil(o.globalConcurrency / 4));
  let claimTimer: NodeJS.Timeout | undefined;

  const report = (operation: string, error: unknown, deliveryId?: string) => {
    ctx.log.error({ operation, deliveryId, error }, `feedback-webhooks: ${operation} failed`);
    ctx.emit("onError", { error, operation, ...(deliveryId && { deliveryId }) });
  };
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  // After a completion: claim now when enough slots are free or nothing runs (an idle worker must
  // not wait), else within CLAIM_WINDOW_MS, so that more completions share the claim.
  const slotFreed = () => {
    if (inFlight.size === 0 || o.globalConcurrency - inFlight.size >= claimThreshold) {
      clearTimeout(claimTimer);
      claimTimer = undefined;
      wake();
    } else {
      claimTimer ??= setTimeout(() => {
        claimTimer = undefined;
        wake();
      }, CLAIM_WINDOW_MS);
    }
  };
  const limitOf = (configId: string) => (breaker.isHalfOpen(configId) ? 1 : o.perEndpointConcurrency);
  const leases = createLeaseRenewer({
    storage,
    leaseMs: o.leaseMs,
    onLost: (deliveryId) => ctx.log.warn({ deliveryId }, "feedback-webhooks: lease lost during an attempt"),
    onError: (error, deliveryId) => report("renew lease", error, deliveryId),
  });

  function startAttempt(d: ClaimedDelivery, controller: AbortController): Promise<void> {
    perConfig.set(d.configId, (perConfig.get(d.configId) ?? 0) + 1);
    leases.hold(d);
    const done = attemptDelivery(ctx, d, controller.signal, batcher.settle).then(
      () => finishAttempt(d),
      (error: unknown) => {
        report("attempt", error, d.id);
        finishAttempt(d);
      },
    );
    inFlight.set(d.id, { configId: d.configId, controller, done });
    return done;
  }

  function finishAttempt(d: ClaimedDelivery): void {
    leases.release(d);
    inFlight.delete(d.id);
    perConfig.set(d.configId, (perConfig.get(d.configId) ?? 1) - 1);
    slotFreed();
  }

  /**
   * The claim's per-endpoint caps. Every endpoint gets at most `perConfigLimit` (its concurrency,
   * or its rate burst when lower); an endpoint this worker knows gets its remaining room — the
   * concurrency left (1 while half-open) capped by its whole rate tokens — and is excluded when
   * none is left. The storage then leases only deliveries that can start at once: handing back a
   * claim costs a commit per delivery (a synchronous fsync on SQLite, blocking the event loop).
   */
  function claimCaps(): Pick<ClaimQuery, "perConfigLimit" | "configLimits" | "excludeConfigIds"> {
    const perConfigLimit = Math.min(o.perEndpointConcurrency, limiter.burst);
    const configLimits: Record<string, number> = {};
    const excluded = new Set(limiter.limited());
    // Rate buckets exist only for endpoints that were attempted, so all of them are in `perConfig`.
    for (const id of new Set([...perConfig.keys(), ...breaker.states().keys()])) {
      const room = Math.min(limitOf(id) - (perConfig.get(id) ?? 0), limiter.available(id));
      if (room <= 0) excluded.add(id);
      else if (room < perConfigLimit) configLimits[id] = room;
    }
    return { perConfigLimit, configLimits, excludeConfigIds: [...excluded] };
  }

  /**
   * The abort controller of the attempts one claim round starts: `stop` aborts them all at once
   * when its timeout ends, so one signal per round does what one per attempt did, without
   * building an `AbortSignal` (an EventTarget) and its abort watch for every delivery. Not one
   * signal for the worker's whole life: a transport may tie each request to the signal (undici's
   * `fetch`, `AbortSignal.any`), and Node keeps such ties for as long as the signal lives.
   * Allows a listener per attempt (a transport may add one each) without Node's leak warning.
   */
  function roundController(attempts: number): AbortController {
    const controller = new AbortController();
    if (attempts > defaultMaxListeners) setMaxListeners(attempts, controller.signal);
    return controller;
  }

  /**
   * One claim round; returns the attempts it started, whether the claim filled every free slot,
   * and whether to look past the candidate window at once (see {@link lookPast}).
   */
  async function claimRound(): Promise<{ started: Promise<void>[]; full: boolean; lookPast: boolean }> {
    if (o.clock.now() - lastMaintenance >= o.maintenanceIntervalMs) {
      lastMaintenance = o.clock.now();
      await runMaintenance(ctx);
    }
    await breaker.refresh();
    const free = o.globalConcurrency - inFlight.size;
    if (free <= 0) return { started: [], full: false, lookPast: false };
    const batch = await storage.claimDeliveries({ limit: free, leaseMs: o.leaseMs, ...claimCaps() });
    if (batch.length === 0) return { started: [], full: false, lookPast: false };
    const started: Promise<void>[] = [];
    const controller = roundController(batch.length);
    for (const d of batch) {
      // The caps make giving back a rare fallback: the endpoint turned half-open (limit 1) while
      // the claim ran, or the worker began stopping. Rate tokens only grow in the meantime.
      const fits = (perConfig.get(d.configId) ?? 0) < limitOf(d.configId) && limiter.tryTake(d.configId);
      if (fits && (state === "active" || state === "created")) started.push(startAttempt(d, controller));
      else await storage.settleDelivery(d.id, d.claimToken, { next: { status: "pending", retryInMs: 0 } });
    }
    // A full batch means more may be due: claim again at once (but never spin when nothing started).
    const full = batch.length === free && started.length > 0;
    return { started, full, lookPast: !full && lookPast(batch, free) };
  }

  /**
   * Whether to claim again at once after a short batch. The storage looks at a bounded window of
   * the oldest due deliveries, so an endpoint with a deep backlog can hide other endpoints'
   * deliveries behind it while every round (woken by its own completions) finds it with room for
   * one more. When the batch used up some endpoint's room, the next claim excludes that endpoint
   * and finds the others — but walks the index past its due rows, so at most once per poll interval.
   */
  function lookPast(batch: readonly ClaimedDelivery[], free: number): boolean {
    const filled = batch.some(
      (d) => (perConfig.get(d.configId) ?? 0) >= limitOf(d.configId) || limiter.available(d.configId) < 1,
    );
    if (batch.length >= free || !filled || o.clock.now() - lastLookPast < o.pollIntervalMs) return false;
    lastLookPast = o.clock.now();
    return true;
  }

  async function loop(): Promise<void> {
    while (state === "active") {
      woken = false;
      let again = false;
      try {
        const round = await claimRound();
        again = round.full || round.lookPast;
      } catch (error) {
        report("claim", error);
      }
      if (again || woken || state !== "active") continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, o.pollIntervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  async function drain(timeoutMs: number): Promise<void> {
    await loopDone;
    const all = () => Promise.all([...inFlight.values()].map((f) => f.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      for (const f of inFlight.values()) f.controller.abort();
      await all();
    }
    state = "stopped";
    await onStopped().catch((error: unknown) => report("stop", error));
  }

  return {
    get state() {
      return state;
    },
    start() {
      if (state === "active") return;
      if (state !== "created")
        throw new InvalidStateError(`Cannot start a dispatcher that is ${state}; create a new one.`);
      state = "active";
      loopDone = loop();
    },
    stop({ timeoutMs = 30_000 } = {}) {
      if (stopping) return stopping;
      if (state === "created") {
        state = "stopped";
        stopping = onStopped().catch((error: unknown) => report("stop", error));
        return stopping;
      }
      state = "stopping";
      batcher.flush();
      wake();
      stopping = drain(timeoutMs);
      return stopping;
    },
    async runOnce() {
      if (state !== "created")
        throw new InvalidStateError(`runOnce() needs a dispatcher that was not started; it is ${state}.`);
      const { started } = await claimRound();
      await Promise.all(started);
      return started.length;
    },
    wake,
  };
}
