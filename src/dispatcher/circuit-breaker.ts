import type { Clock } from "../clock.js";
import type { EndpointState, Storage } from "../storage/storage.js";

/** What a recorded failure means for the endpoint. */
export interface FailureVerdict {
  /** Set when this failure (re)paused the endpoint. */
  pausedUntil?: Date;
  consecutiveFailures: number;
  /** The endpoint has failed for longer than `disableAfterMs`: disable the webhook. */
  outage: boolean;
}

/**
 * The per-endpoint circuit breaker. The state lives in the storage (shared by every process);
 * this keeps a copy refreshed on each poll, to gate claims without a query per delivery.
 */
export interface CircuitBreaker {
  /** Reloads every non-fresh endpoint state from the storage. */
  refresh(): Promise<void>;
  /** True when the endpoint failed at least `failureThreshold` times in a row: only one probe may run. */
  isHalfOpen(configId: string): boolean;
  recordSuccess(configId: string): Promise<void>;
  recordFailure(configId: string): Promise<FailureVerdict>;
  /** Disables the webhook (its deliveries are held until `resume`). */
  suspend(configId: string, reason: "gone" | "outage"): Promise<void>;
  resume(configId: string): Promise<void>;
  /** The cached states (for stats). */
  states(): ReadonlyMap<string, EndpointState>;
}

/**
 * Creates the circuit breaker: `failureThreshold` consecutive failures pause an endpoint for
 * `cooldownMs` (the storage stops leasing its deliveries), then one probe runs; a failed probe
 * pauses it again, a success closes the circuit.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ storage, clock, failureThreshold: 10, cooldownMs: 60_000, disableAfterMs: 5 * 86_400_000 });
 * const verdict = await breaker.recordFailure(configId);
 * ```
 */
export function createCircuitBreaker(options: {
  storage: Storage;
  clock: Clock;
  failureThreshold: number;
  cooldownMs: number;
  disableAfterMs: number;
}): CircuitBreaker {
  const { storage, clock, failureThreshold, cooldownMs, disableAfterMs } = options;
  let cache = new Map<string, EndpointState>();
  return {
    async refresh() {
      cache = new Map((await storage.listEndpointStates()).map((s) => [s.configId, s]));
    },
    isHalfOpen(configId) {
      return (cache.get(configId)?.consecutiveFailures ?? 0) >= failureThreshold;
    },
    async recordSuccess(configId) {
      // Writes only when there is a streak to clear: a success per delivery must not cost a query.
      const state = cache.get(configId);
      if (state === undefined || state.consecutiveFailures === 0) return;
      await storage.recordEndpointSuccess(configId);
      const { suspendedReason, suspendedAt } = state;
      if (suspendedReason === undefined) cache.delete(configId);
      else cache.set(configId, { configId, consecutiveFailures: 0, suspendedReason, suspendedAt });
    },
    async recordFailure(configId) {
      const state = await storage.recordEndpointFailure(configId, {
        pauseAfter: failureThreshold,
        pauseMs: cooldownMs,
      });
      cache.set(configId, state);
      const since = state.failingSince?.getTime() ?? clock.now();
      return {
        consecutiveFailures: state.consecutiveFailures,
        outage: clock.now() - since >= disableAfterMs,
        ...(state.consecutiveFailures >= failureThreshold && state.pausedUntil && { pausedUntil: state.pausedUntil }),
      };
    },
    async suspend(configId, reason) {
      await storage.suspendEndpoint(configId, reason);
      cache.set(configId, await storage.getEndpointState(configId));
    },
    async resume(configId) {
      await storage.resumeEndpoint(configId);
      cache.delete(configId);
    },
    states: () => cache,
  };
}
