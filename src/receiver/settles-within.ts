/**
 * Resolves `true` when `promise` fulfils within `ms`, `false` when the time runs out first; rejects
 * when `promise` rejects in time. The timer never outlives the race.
 *
 * @example
 * ```ts
 * if (!(await settlesWithin(work, 5_000))) console.log("still running");
 * ```
 */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
