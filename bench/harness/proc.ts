import { readdirSync, readFileSync } from "node:fs";

// Linux reports CPU times in clock ticks; 100 per second on every common kernel configuration.
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) per pid of every process whose command name is `comm`. */
export function cpuByPid(comm: string): Map<number, number> {
  const out = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      if (name !== comm) continue;
      const fields = stat.slice(close + 2).split(" ");
      // Fields 14 and 15 of /proc/pid/stat (utime, stime), counted from the state field (3).
      const ticks = Number(fields[11]) + Number(fields[12]);
      out.set(Number(entry), (ticks * 1000) / TICKS_PER_SECOND);
    } catch {
      // The process exited while we looked.
    }
  }
  return out;
}

/** CPU ms used by processes named `comm` since `before` (new processes count from zero). */
export function cpuSince(comm: string, before: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of cpuByPid(comm)) total += ms - (before.get(pid) ?? 0);
  return total;
}
