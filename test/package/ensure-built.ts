import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Builds `dist/` when it is missing (`npm test` builds first; a lone `vitest` run may not have). */
export function ensureBuilt(): void {
  if (!existsSync(`${ROOT}/dist/index.js`) || !existsSync(`${ROOT}/dist/cli.js`)) {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  }
}
