import type { DeliveryBacklog, EndpointState } from "../storage/storage.js";

/** Statistics of one endpoint (configuration). */
export interface EndpointStats {
  configId: string;
  /** Deliveries waiting (due or not, held ones included). */
  pending: number;
  inFlight: number;
  dead: number;
  /** How long the oldest due delivery has been waiting; absent when none is due. */
  oldestDueAgeMs?: number;
  /** Share of 2xx among this process's recent attempts (last 1000); absent before the first attempt. */
  successRate?: number;
  /** Median attempt latency over the same window. */
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  /** While the circuit breaker pauses the endpoint. */
  pausedUntil?: Date;
  consecutiveFailures: number;
  /** Set when the dispatcher disabled the webhook (`gone`, `outage`): deliveries are held. */
  suspendedReason?: string;
}

/** Recent attempt outcomes per endpoint, for success rate and latency percentiles. */
export interface AttemptWindow {
  record(configId: string, ok: boolean, durationMs: number): void;
  summary(configId: string): Pick<EndpointStats, "successRate" | "latencyP50Ms" | "latencyP99Ms">;
  /** Endpoints with at least one recorded attempt. */
  configIds(): string[];
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/**
 * Keeps the last `size` attempts of each endpoint in this process.
 *
 * @example
 * ```ts
 * const window = createAttemptWindow(1000);
 * window.record("c-1", true, 42);
 * window.summary("c-1"); // { successRate: 1, latencyP50Ms: 42, latencyP99Ms: 42 }
 * ```
 */
export function createAttemptWindow(size = 1000): AttemptWindow {
  // A ring per endpoint: recording overwrites the oldest slot once full (no shifting, no object per attempt).
  const windows = new Map<string, { ok: boolean[]; ms: number[]; next: number }>();
  return {
    record(configId, ok, durationMs) {
      let ring = windows.get(configId);
      if (ring === undefined) {
        ring = { ok: [], ms: [], next: 0 };
        windows.set(configId, ring);
      }
      ring.ok[ring.next] = ok;
      ring.ms[ring.next] = durationMs;
      ring.next = (ring.next + 1) % size;
    },
    summary(configId) {
      const ring = windows.get(configId);
      if (ring === undefined) return {};
      const sorted = [...ring.ms].sort((a, b) => a - b);
      return {
        successRate: ring.ok.filter((ok) => ok).length / ring.ok.length,
        latencyP50Ms: percentile(sorted, 0.5),
        latencyP99Ms: percentile(sorted, 0.99),
      };
    },
    configIds: () => [...windows.keys()],
  };
}

/**
 * Joins the storage's backlog, the endpoint states and this process's attempt window into one
 * row per endpoint, ordered by configuration id.
 *
 * @example
 * ```ts
 * mergeStats(await storage.deliveryBacklog(), await storage.listEndpointStates(), window, clock.now());
 * ```
 */
export function mergeStats(
  backlog: readonly DeliveryBacklog[],
  states: readonly EndpointState[],
  window: AttemptWindow,
  nowMs: number,
): EndpointStats[] {
  const ids = new Set([...backlog.map((b) => b.configId), ...states.map((s) => s.configId), ...window.configIds()]);
  return [...ids].sort().map((configId) => {
    const b = backlog.find((x) => x.configId === configId);
    const s = states.find((x) => x.configId === configId);
    return {
      configId,
      pending: b?.pending ?? 0,
      inFlight: b?.inFlight ?? 0,
      dead: b?.dead ?? 0,
      ...(b?.oldestDueAgeMs !== undefined && { oldestDueAgeMs: b.oldestDueAgeMs }),
      ...window.summary(configId),
      consecutiveFailures: s?.consecutiveFailures ?? 0,
      ...(s?.pausedUntil && s.pausedUntil.getTime() > nowMs && { pausedUntil: s.pausedUntil }),
      ...(s?.suspendedReason !== undefined && { suspendedReason: s.suspendedReason }),
    };
  });
}
