import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A fresh directory under the OS temp dir, and a function that removes it.
 *
 * @example
 * ```ts
 * const dir = tempDir();
 * const storage = sqliteStorage({ filename: join(dir.path, "webhooks.db") });
 * afterAll(() => dir.remove());
 * ```
 */
export function tempDir(prefix = "fw-reliability-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
