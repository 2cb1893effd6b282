import { execFileSync } from "node:child_process";
import os from "node:os";

/** What the numbers were measured on. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  date: string;
  /** The commit measured, and how many files under src/ differed from it (work in progress). */
  code: string;
}

function codeVersion(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const sha = git("rev-parse", "--short", "HEAD");
    const dirty = git("status", "--porcelain", "--", "src").split("\n").filter(Boolean).length;
    return dirty === 0 ? sha : `${sha} + ${dirty} uncommitted file${dirty === 1 ? "" : "s"} in src/`;
  } catch {
    return "unknown (no git)";
  }
}

/** The machine, the Node version and the date of this run. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    node: process.version,
    date: new Date().toISOString(),
    code: codeVersion(),
  };
}
