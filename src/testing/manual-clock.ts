import type { Clock } from "../clock.js";

/** A {@link Clock} that only moves when told to: for tests, demos and simulations. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` (must be ≥ 0). */
  advance(ms: number): void;
  /** Jumps to an absolute instant (ms since the epoch), forwards or backwards. */
  set(ms: number): void;
}

/**
 * Creates a clock that starts at `startMs` and moves only with `advance` / `set`. Pass it to
 * `memoryStorage({ clock })` and `createDispatcher({ clock })` to test retry schedules without
 * fake timers (which would stall undici's own timers) and without sleeping.
 *
 * @example
 * ```ts
 * const clock = createManualClock(Date.parse("2025-01-01T00:00:00Z"));
 * const storage = memoryStorage({ clock });
 * clock.advance(30_000); // the 30 s retry is now due
 * ```
 */
export function createManualClock(startMs: number = Date.UTC(2025, 0, 1)): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance(ms) needs ms >= 0, got ${ms}`);
      now += ms;
    },
    set(ms) {
      now = ms;
    },
  };
}
