import { StorageError } from "../../../src/errors.js";
import type { Storage } from "../../../src/storage/storage.js";

/** Storage methods that write, i.e. that fail when the disk is full. */
export const WRITE_METHODS = [
  "insertConfig",
  "updateConfig",
  "deleteConfig",
  "setCampaignEnabled",
  "enqueueDeliveries",
  "claimDeliveries",
  "renewLease",
  "settleDelivery",
  "settleDeliveries",
  "redeliverDelivery",
  "redeliverDead",
  "expireDeliveries",
  "pruneDeliveries",
  "purgeDeliveries",
  "recordEndpointSuccess",
  "recordEndpointFailure",
  "suspendEndpoint",
  "resumeEndpoint",
] as const;

/** A storage whose disk can be filled and freed, and what it refused. */
export interface DiskFullStorage extends Storage {
  /** The write methods failing now; empty: the disk has space. */
  full: Set<string>;
  /** Refused calls per method. */
  refused: Map<string, number>;
  /** Makes only the next `count` calls of `method` fail (a transient error). */
  failNext(method: string, count: number): void;
}

/**
 * Wraps a storage so that the methods in `full` throw the `StorageError` a full disk causes,
 * before touching the inner storage (as a database refuses the whole statement).
 *
 * @example
 * ```ts
 * const storage = diskFull(memoryStorage({ clock }));
 * storage.full.add("enqueueDeliveries"); // … storage.full.clear() frees it
 * ```
 */
export function diskFull(inner: Storage): DiskFullStorage {
  const full = new Set<string>();
  const refused = new Map<string, number>();
  const transient = new Map<string, number>();
  const failNext = (method: string, count: number) => transient.set(method, count);
  const failing = (method: string) => {
    const left = transient.get(method) ?? 0;
    if (left > 0) transient.set(method, left - 1);
    return left > 0 || full.has(method);
  };
  const wrapper = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "full") return full;
      if (property === "refused") return refused;
      if (property === "failNext") return failNext;
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (typeof property === "string" && failing(property)) {
          refused.set(property, (refused.get(property) ?? 0) + 1);
          return Promise.reject(
            new StorageError(`SQLite storage: ${property} failed: database or disk is full`, {
              cause: Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }),
            }),
          );
        }
        return value.apply(target, args);
      };
    },
  });
  return wrapper as DiskFullStorage;
}
