/** When to try again after the n-th failed attempt of a round (1-based); undefined: give up. */
export type RetrySchedule = readonly number[] | ((attempt: number) => number | undefined);

/** The retry rules, validated and with defaults applied. */
export interface RetryPolicy {
  schedule: RetrySchedule;
  jitter: number;
  maxAgeMs: number;
  maxRetryAfterMs: number;
}

/** Why a delivery is not retried. */
export type GiveUpReason = "max_attempts" | "max_age";

/**
 * Decides the delay before the next attempt: the schedule's delay with ±`jitter` (proportional,
 * not full jitter), at least the receiver's `Retry-After` (capped at `maxRetryAfterMs`), and
 * never past the delivery's maximum age.
 *
 * @example
 * ```ts
 * nextRetry(policy, { failedAttempt: 1, ageMs: 0, retryAfterMs: undefined, random: Math.random });
 * // { retryInMs: 4_600 } with the default schedule (5 s ± 20 %)
 * ```
 */
export function nextRetry(
  policy: RetryPolicy,
  input: { failedAttempt: number; ageMs: number; retryAfterMs: number | undefined; random: () => number },
): { retryInMs: number } | { giveUp: GiveUpReason } {
  const { schedule } = policy;
  const base = typeof schedule === "function" ? schedule(input.failedAttempt) : schedule[input.failedAttempt - 1];
  if (base === undefined || !Number.isFinite(base) || base < 0) return { giveUp: "max_attempts" };
  const jittered = base * (1 + policy.jitter * (2 * input.random() - 1));
  const honoured = Math.min(input.retryAfterMs ?? 0, policy.maxRetryAfterMs);
  const retryInMs = Math.round(Math.max(jittered, honoured));
  if (input.ageMs + retryInMs >= policy.maxAgeMs) return { giveUp: "max_age" };
  return { retryInMs };
}
