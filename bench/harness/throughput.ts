import { fullGc } from "./rounds.js";

/** Operations counted over a measured stretch of wall-clock and CPU time. */
export interface Rate {
  /** Operations per wall-clock second. */
  wall: number;
  /** Operations per second of this process's CPU time: what one core would do undisturbed. */
  cpu: number;
}

interface Tally {
  ops: number;
  wallMs: number;
  cpuMs: number;
}

/**
 * Runs `op` (sync or async, awaited only when it returns a promise) back to back for `durationMs`
 * and adds what it did to `tally`. The clock is read once per batch; the batch grows until it
 * takes about a millisecond, so reading the clock does not weigh on fast operations.
 */
async function slice(op: () => unknown, durationMs: number, tally: Tally): Promise<void> {
  let ops = 0;
  let batch = 1;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + durationMs;
  let now = start;
  while (now < end) {
    const t0 = now;
    for (let i = 0; i < batch; i++) {
      const result = op();
      if (result instanceof Promise) await result;
    }
    ops += batch;
    now = performance.now();
    if (now - t0 < 1 && batch < 1 << 16) batch *= 2;
  }
  const cpu = process.cpuUsage(cpu0);
  tally.ops += ops;
  tally.wallMs += now - start;
  tally.cpuMs += (cpu.user + cpu.system) / 1000;
}

/** An in-process contender: one operation, measured by how often it runs per second. */
export interface OpContender {
  name: string;
  op: () => unknown;
}

/** Options of {@link interleaveOps}. */
export interface InterleaveOpsOptions {
  rounds: number;
  /** Time each contender runs per round, in total. */
  msPerRound: number;
  /** How many slices a round is cut into: contender A, B, C, A, B, C, … each for `msPerRound / slices`. */
  slices: number;
  label: string;
}

/**
 * Measures in-process operations with fine interleaving: each round runs every contender in
 * short alternating slices, so a noisy neighbour that takes the CPU for a second slows every
 * contender alike instead of one. One warm-up round (not recorded) first. Returns each
 * contender's rate per recorded round.
 */
export async function interleaveOps(
  contenders: readonly OpContender[],
  options: InterleaveOpsOptions,
): Promise<Map<string, Rate[]>> {
  const results = new Map<string, Rate[]>(contenders.map((c) => [c.name, []]));
  const sliceMs = options.msPerRound / options.slices;
  for (let r = 0; r <= options.rounds; r++) {
    const tallies = contenders.map(() => ({ ops: 0, wallMs: 0, cpuMs: 0 }));
    fullGc();
    for (let s = 0; s < options.slices; s++) {
      for (let k = 0; k < contenders.length; k++) {
        const i = (k + s + r) % contenders.length;
        await slice(contenders[i]!.op, sliceMs, tallies[i]!);
      }
    }
    if (r === 0) {
      process.stderr.write(`  ${options.label} [warm-up] done\n`);
      continue;
    }
    contenders.forEach((c, i) => {
      const t = tallies[i]!;
      const rate = { wall: (t.ops * 1000) / t.wallMs, cpu: (t.ops * 1000) / t.cpuMs };
      results.get(c.name)!.push(rate);
      process.stderr.write(
        `  ${options.label} [${r}/${options.rounds}] ${c.name}: ${Math.round(rate.wall)} ops/s (${Math.round(rate.cpu)} per CPU-s)\n`,
      );
    });
  }
  return results;
}
