import type { Clock } from "../../clock.js";
import type { DeliveryStorage, EndpointFailurePolicy, EndpointState } from "../storage.js";

/** The endpoint-state methods of the {@link DeliveryStorage} port. */
export type EndpointStateMethods =
  | "getEndpointState"
  | "listEndpointStates"
  | "recordEndpointSuccess"
  | "recordEndpointFailure"
  | "suspendEndpoint"
  | "resumeEndpoint";

/**
 * Circuit breaker and auto-disable state per configuration, in process memory. Only states that
 * differ from a fresh one are kept.
 *
 * @example
 * ```ts
 * const states = new MemoryEndpointStates(systemClock);
 * await states.recordEndpointFailure("c-1", { pauseAfter: 10, pauseMs: 60_000 });
 * ```
 */
export class MemoryEndpointStates implements Pick<DeliveryStorage, EndpointStateMethods> {
  readonly #endpoints = new Map<string, EndpointState>();
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  async getEndpointState(configId: string): Promise<EndpointState> {
    return structuredClone(this.#endpoints.get(configId) ?? { configId, consecutiveFailures: 0 });
  }

  async listEndpointStates(): Promise<EndpointState[]> {
    return [...this.#endpoints.values()].map((s) => structuredClone(s));
  }

  async recordEndpointSuccess(configId: string): Promise<void> {
    const state = this.#endpoints.get(configId);
    if (state === undefined) return;
    if (state.suspendedReason === undefined) this.#endpoints.delete(configId);
    else {
      const { suspendedReason, suspendedAt } = state;
      this.#endpoints.set(configId, { configId, consecutiveFailures: 0, suspendedReason, suspendedAt });
    }
  }

  async recordEndpointFailure(configId: string, policy: EndpointFailurePolicy): Promise<EndpointState> {
    const now = this.#clock.now();
    const state = this.#endpoints.get(configId) ?? { configId, consecutiveFailures: 0 };
    state.consecutiveFailures += 1;
    state.failingSince ??= new Date(now);
    if (state.consecutiveFailures >= policy.pauseAfter) state.pausedUntil = new Date(now + policy.pauseMs);
    this.#endpoints.set(configId, state);
    return structuredClone(state);
  }

  async suspendEndpoint(configId: string, reason: string): Promise<void> {
    const state = this.#endpoints.get(configId) ?? { configId, consecutiveFailures: 0 };
    this.#endpoints.set(configId, { ...state, suspendedReason: reason, suspendedAt: new Date(this.#clock.now()) });
  }

  async resumeEndpoint(configId: string): Promise<void> {
    this.#endpoints.delete(configId);
  }

  /** True while the endpoint is paused or suspended: its deliveries are not claimed. */
  isBlocked(configId: string, now: number): boolean {
    const state = this.#endpoints.get(configId);
    if (state === undefined) return false;
    return state.suspendedReason !== undefined || (state.pausedUntil?.getTime() ?? 0) > now;
  }
}
