import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";

/** One side of a comparison: called once per round, returns that round's measurement. */
export interface Contender<T = number> {
  name: string;
  run: (round: number) => Promise<T>;
}

/** Options of {@link interleave}. */
export interface InterleaveOptions<T> {
  rounds: number;
  /** Unrecorded rounds first (JIT warm-up, connection pools, page cache). @default 1 */
  warmupRounds?: number;
  /** Prints one progress line per measurement (to stderr, so tables on stdout stay clean). */
  describe?: (value: T) => string;
  label?: string;
}

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

/** A full garbage collection, so one contender's garbage is not collected on the next one's time. */
export function fullGc(): void {
  collect();
}

/**
 * Runs every contender once per round, interleaved (A, B, C, then B, C, A, …: the start rotates
 * so no contender always runs first, right after a GC or a warm-up), so that drift of a noisy
 * machine hits all of them alike. Returns each contender's measurements, one per round.
 */
export async function interleave<T>(
  contenders: readonly Contender<T>[],
  options: InterleaveOptions<T>,
): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>(contenders.map((c) => [c.name, []]));
  const warmup = options.warmupRounds ?? 1;
  const total = warmup + options.rounds;
  for (let r = 0; r < total; r++) {
    const recorded = r >= warmup;
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(k + r) % contenders.length]!;
      fullGc();
      const value = await c.run(r);
      if (recorded) results.get(c.name)!.push(value);
      const tag = recorded ? `${r - warmup + 1}/${options.rounds}` : "warm-up";
      const shown = options.describe ? options.describe(value) : String(value);
      process.stderr.write(`  ${options.label ? `${options.label} ` : ""}[${tag}] ${c.name}: ${shown}\n`);
    }
  }
  return results;
}
