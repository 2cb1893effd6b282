import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A message between the bench and a child: always an object with a `type`. */
export type Message = { type: string } & Record<string, unknown>;

/** A child process running a `bench/workers` script, spoken to over IPC. */
export interface Child {
  readonly pid: number;
  send(message: Message): void;
  /** Resolves with the next message of this type (rejects if the child exits first). */
  next<T extends Message = Message>(type: string, timeoutMs?: number): Promise<T>;
  /** Sends a message and waits for the reply of type `replyType`. */
  request<T extends Message = Message>(message: Message, replyType: string, timeoutMs?: number): Promise<T>;
  /** Calls `listener` with every message of this type. */
  on(type: string, listener: (message: Message) => void): void;
  /** Asks the child to exit (`{ type: "exit" }`), then kills it if it has not after 10 s. */
  stop(): Promise<void>;
}

/** Options of {@link startChild}. */
export interface ChildOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Extra Node flags (`--expose-gc`, `--max-old-space-size=…`). */
  nodeFlags?: string[];
  /** Run with `--cpu-prof` and write the profile here. */
  profileDir?: string | undefined;
  /**
   * Run a bundle of the script (see {@link bundleWorker}) with plain `node` instead of through
   * tsx, whose loader thread adds ~60 MB of RSS: for memory measurements.
   */
  bundled?: string;
}

const BUILD_DIR = fileURLToPath(new URL("../.build/", import.meta.url));

/**
 * Bundles a worker and the library code it imports into `bench/.build/<name>.mjs` (packages
 * stay external and resolve from node_modules), so it runs on plain `node` like a user's compiled
 * code. Returns the bundle's path.
 */
export async function bundleWorker(name: string): Promise<string> {
  const { build } = await import("esbuild");
  mkdirSync(BUILD_DIR, { recursive: true });
  writeFileSync(`${BUILD_DIR}.gitignore`, "*\n");
  const outfile = `${BUILD_DIR}${name.replace(/\.ts$/, ".mjs")}`;
  await build({
    entryPoints: [workerPath(name)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
  return outfile;
}

/** The path of a worker script, e.g. `workerPath("http-server.ts")`. */
export function workerPath(name: string): string {
  return fileURLToPath(new URL(`../workers/${name}`, import.meta.url));
}

/**
 * Starts a TypeScript worker (through tsx's loader) with an IPC channel. The worker runs the
 * library from `src/`, like the bench itself.
 */
export function startChild(script: string, options: ChildOptions = {}): Child {
  const execArgv = [...(options.bundled ? [] : ["--import", "tsx"]), ...(options.nodeFlags ?? [])];
  // One directory per worker script, so the sink's profile is not mixed with a worker's.
  if (options.profileDir)
    execArgv.push("--cpu-prof", `--cpu-prof-dir=${options.profileDir}/${script.replace(/\.ts$/, "")}`);
  const proc: ChildProcess = fork(options.bundled ?? workerPath(script), options.args ?? [], {
    execArgv,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const listeners = new Map<string, Set<(m: Message) => void>>();
  let exited: Error | undefined;
  const exitWaiters = new Set<(error: Error) => void>();
  proc.on("message", (raw) => {
    const m = raw as Message;
    for (const l of listeners.get(m.type) ?? []) l(m);
  });
  const exitPromise = new Promise<void>((resolve) => {
    proc.once("exit", (code, signal) => {
      exited = new Error(`bench worker ${script} exited (${signal ?? `code ${code}`})`);
      for (const w of exitWaiters) w(exited);
      resolve();
    });
  });
  const on = (type: string, listener: (m: Message) => void) => {
    const set = listeners.get(type) ?? new Set();
    listeners.set(type, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  const next = <T extends Message>(type: string, timeoutMs = 120_000) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited);
      let off: () => void = () => undefined;
      const timer = setTimeout(() => {
        off();
        exitWaiters.delete(fail);
        reject(new Error(`bench worker ${script}: no "${type}" message within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        off();
        reject(error);
      };
      exitWaiters.add(fail);
      off = on(type, (m) => {
        clearTimeout(timer);
        off();
        exitWaiters.delete(fail);
        if (m.error !== undefined) reject(new Error(`bench worker ${script}: ${String(m.error)}`));
        else resolve(m as T);
      });
    });
  const child: Child = {
    pid: proc.pid ?? -1,
    send: (message) => {
      proc.send(message);
    },
    next,
    request(message, replyType, timeoutMs) {
      const reply = next(replyType, timeoutMs);
      proc.send(message);
      return reply as never;
    },
    on(type, listener) {
      on(type, listener);
    },
    async stop() {
      if (exited) return;
      proc.send({ type: "exit" });
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
  return child;
}
