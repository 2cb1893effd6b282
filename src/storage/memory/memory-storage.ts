import { MemoryConfigStorage } from "./memory-config-storage.js";

/**
 * A storage that keeps everything in process memory: for tests and examples. Lost on exit —
 * use `sqliteStorage` (embedded, durable) or `postgresStorage` (many processes) in production.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "feedback-webhooks/storage/memory";
 * const registry = createRegistry({ storage: memoryStorage() });
 * ```
 */
export function memoryStorage(): MemoryConfigStorage {
  return new MemoryConfigStorage();
}
