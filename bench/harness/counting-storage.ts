import type { AuthInput } from "../../src/config/auth-config-schema.js";
import type { Storage } from "../../src/storage/storage.js";
import { benchDispatcher, createEndpoints, publishAll } from "./dispatch.js";
import { sampleEvents } from "./fixtures.js";
import { fmt } from "./format.js";
import type { Table } from "./table.js";

/** A storage that counts calls per method and the time spent in each (diagnostics, not timed runs). */
export interface CountingStorage {
  storage: Storage;
  calls: Map<string, { count: number; ms: number }>;
}

/** Wraps every method of `storage` to count its calls and their total duration. */
export function countingStorage(inner: Storage): CountingStorage {
  const calls = new Map<string, { count: number; ms: number }>();
  const storage = new Proxy(inner, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function" || typeof name !== "string") return value;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          const entry = calls.get(name) ?? { count: 0, ms: 0 };
          entry.count++;
          entry.ms += performance.now() - t0;
          calls.set(name, entry);
        }
      };
    },
  });
  return { storage, calls };
}

/**
 * A diagnostic run, not timed against anything: which storage calls the dispatcher makes per
 * delivery, and how long they take. Explains where the time goes. Closes `storage`.
 */
export async function storageCalls(options: {
  storage: Storage;
  label: string;
  origin: string;
  auth: AuthInput;
  count: number;
}): Promise<Table> {
  const counting = countingStorage(options.storage);
  try {
    await createEndpoints(counting.storage, options.origin, 1, options.auth);
    const bench = benchDispatcher({ storage: counting.storage });
    await publishAll(bench.dispatcher, sampleEvents(options.count, 1, 1_000_000));
    counting.calls.clear();
    const drained = await bench.drain(options.count, 60_000);
    await bench.close();
    const rows = [...counting.calls]
      .filter(([name]) => name !== "close")
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([name, c]) => [
        name,
        fmt(c.count / drained.delivered, 2),
        fmt((c.ms * 1000) / c.count, 0),
        fmt((c.ms * 1000) / drained.delivered, 0),
      ]);
    return {
      title: `Diagnostic: storage calls per delivery (${options.label}, ${fmt(drained.delivered, 0)} deliveries, one process)`,
      headers: ["storage method", "calls per delivery", "µs per call (wall)", "µs per delivery"],
      rows,
      notes: [
        "Wall time per call includes waiting for the event loop while other attempts run, so it overstates CPU; the " +
          "call counts are exact.",
      ],
    };
  } finally {
    await counting.storage.close();
  }
}
