import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./worker-child.ts", import.meta.url));

/** A line the child wrote (see `worker-child.ts`). */
export type ChildLine = {
  ready?: true;
  hook?: string;
  log?: string;
  id?: string;
  statusCode?: number;
  message?: string;
};

/** A dispatcher worker in a child process. */
export interface WorkerProcess {
  process: ChildProcess;
  pid: number;
  /** Every JSON line the child printed so far. */
  lines: ChildLine[];
  stderr(): string;
  /** Resolves when a printed line satisfies `predicate`, or rejects after `timeoutMs`. */
  waitFor(predicate: (line: ChildLine) => boolean, timeoutMs: number): Promise<ChildLine>;
  /** SIGTERM (graceful stop), after SIGCONT in case it is stopped. Resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, for cleanup. */
  kill(): Promise<void>;
}

/**
 * Starts `worker-child.ts` with `env` and resolves once it is delivering.
 *
 * @example
 * ```ts
 * const worker = await spawnWorker({ FW_REL_SQLITE: file, FW_REL_LEASE_MS: "2000" });
 * process.kill(worker.pid, "SIGSTOP");
 * ```
 */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: ChildLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = "";
  let partial = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    for (const part of parts) if (part.trim() !== "") lines.push(JSON.parse(part) as ChildLine);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const waitFor = (predicate: (line: ChildLine) => boolean, timeoutMs: number) =>
    new Promise<ChildLine>((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`child did not print the expected line in ${timeoutMs} ms: ${JSON.stringify(lines)} ${stderr}`),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  try {
    await waitFor((l) => l.ready === true, 20_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    process: child,
    pid: child.pid!,
    lines,
    stderr: () => stderr,
    waitFor,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGCONT");
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}
