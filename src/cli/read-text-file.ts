import { readFileSync } from "node:fs";

/**
 * Reads a file named by an option, failing with a message that names the option and the reason
 * rather than a bare `ENOENT`. The content is never part of the message (it may be a key).
 *
 * @example
 * ```ts
 * const pem = readTextFile(flags.privateKey, "--private-key");
 * ```
 */
export function readTextFile(file: string, option: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (error as Error).message;
    throw new Error(`cannot read ${option} ${file}: ${reason}.`, { cause: error });
  }
}
