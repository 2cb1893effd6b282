import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A scratch directory, removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "fw-cli-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Builds the bin exactly as `tsup.config.ts` does (ESM, node20, shebang) into a fresh directory
 * under `.tmp/` (inside the repository, so its imports resolve from `node_modules`), so the tests
 * never run a stale `dist/cli.js`. Returns the path of `cli.js` and a function removing it.
 */
export async function buildCli(): Promise<{ bin: string; remove: () => void }> {
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  const outDir = mkdtempSync(join(ROOT, ".tmp", "cli-test-"));
  await build({
    entry: { cli: join(ROOT, "src/cli/main.ts") },
    format: ["esm"],
    outDir,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    config: false,
    silent: true,
  });
  return { bin: join(outDir, "cli.js"), remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

/** What a finished CLI run printed and returned. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** The child is killed after this long. @default 15 000 */
  timeoutMs?: number;
}

// The developer's own FW_* variables must not leak into the runs; NO_COLOR keeps output plain.
function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  for (const name of Object.keys(env)) if (name.startsWith("FW_")) delete env[name];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Runs `node <bin> …args` to completion. */
export function runCli(bin: string, args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return runNode([bin, ...args], options);
}

/** Runs `node …args` to completion, e.g. `["--import", "tsx", "examples/demo.ts"]`. */
export function runNode(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: childEnv(options.env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 15_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A running `listen` (or any long-running command). */
export interface RunningCli {
  child: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` appears in stdout + stderr, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves once `count` lines of stdout + stderr match `pattern`, or rejects after `timeoutMs`. */
  waitForLines(pattern: RegExp, count: number, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running command, e.g. `listen --port 0`. */
export function startCli(bin: string, args: readonly string[], options: RunOptions = {}): RunningCli {
  return startNode([bin, ...args], options);
}

/** Starts `node …args` (a server example, …) and returns it while it runs. */
export function startNode(args: readonly string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, env: childEnv(options.env) });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = `${out}\n${err}`.match(pattern);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async waitForLines(pattern, count, timeoutMs = 10_000) {
      // Counting lines rather than one quantified regex: `(…[^]*){n}` backtracks exponentially.
      const matching = () => `${out}\n${err}`.split("\n").filter((line) => pattern.test(line)).length;
      const deadline = Date.now() + timeoutMs;
      while (matching() < count) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`timed out waiting for ${count} lines matching ${pattern}\nstdout:\n${out}\nstderr:\n${err}`);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Starts `listen --port 0 …args` and resolves with its base URL once it is ready. */
export async function startListen(bin: string, args: readonly string[]): Promise<RunningCli & { url: string }> {
  const running = startCli(bin, ["listen", "--port", "0", ...args]);
  const [, url] = await running.waitFor(
    /Receiving feedback events on (http:\/\/127\.0\.0\.1:\d+\S*)\n[\s\S]*press Ctrl\+C/,
  );
  return { ...running, url: url as string };
}
