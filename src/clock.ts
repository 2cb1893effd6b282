/**
 * Where time comes from. Inject one to move time in tests without fake timers (which would
 * stall undici's own timers); SQL storages use the database's clock for leases instead.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real clock: `Date.now()`. */
export const systemClock: Clock = { now: () => Date.now() };
