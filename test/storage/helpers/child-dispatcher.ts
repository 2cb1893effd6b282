import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./dispatcher-child.ts", import.meta.url));

/** A dispatcher running in a child process (see `dispatcher-child.ts`). */
export interface ChildDispatcher {
  process: ChildProcess;
  /** Everything the child wrote to stderr, for failure messages. */
  stderr(): string;
  /** SIGKILL: no cleanup, no lease given back — a crash. */
  kill(): Promise<void>;
  /** SIGTERM: graceful stop; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `node --import tsx dispatcher-child.ts` with `env` and resolves once it is delivering.
 *
 * @example
 * ```ts
 * const child = await startChildDispatcher({ FW_CHILD_SQLITE: file });
 * await child.kill();
 * ```
 */
export async function startChildDispatcher(env: Record<string, string>): Promise<ChildDispatcher> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start in 20 s: ${stderr}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code} before it was ready: ${stderr}`));
    });
  });
  return {
    process: child,
    stderr: () => stderr,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
