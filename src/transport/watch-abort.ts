/** Told once when the signal it watches aborts. */
export interface AbortWatcher {
  onAbort(): void;
}

const watchersBySignal = new WeakMap<AbortSignal, Set<AbortWatcher>>();

/**
 * Calls `watcher.onAbort()` once when `signal` aborts, until {@link unwatchAbort}. The signal
 * must not have aborted yet (check `signal.aborted` first). Every watcher of a signal shares ONE
 * listener on it: the dispatcher hands the same signal to every request in flight, and a
 * listener each would cost an `addEventListener`/`removeEventListener` pair per request and trip
 * Node's "possible EventTarget memory leak" warning past 10 requests in flight. The shared
 * listener stays on the signal (and goes with it to the garbage collector).
 *
 * @example
 * ```ts
 * watchAbort(signal, { onAbort: () => socket.destroy() });
 * ```
 */
export function watchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  let watchers = watchersBySignal.get(signal);
  if (watchers === undefined) {
    const created = new Set<AbortWatcher>();
    watchers = created;
    watchersBySignal.set(signal, created);
    signal.addEventListener(
      "abort",
      () => {
        // A watcher told may unwatch others; they must not be told afterwards.
        for (const w of created) w.onAbort();
        watchersBySignal.delete(signal);
      },
      { once: true },
    );
  }
  watchers.add(watcher);
}

/**
 * Stops telling `watcher` about `signal` (see {@link watchAbort}). Does nothing if it was not
 * watching.
 *
 * @example
 * ```ts
 * try { await work(); } finally { unwatchAbort(signal, watcher); }
 * ```
 */
export function unwatchAbort(signal: AbortSignal, watcher: AbortWatcher): void {
  watchersBySignal.get(signal)?.delete(watcher);
}
