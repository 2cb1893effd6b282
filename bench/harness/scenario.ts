import type { BenchPostgres } from "./postgres.js";
import type { ScenarioOutput } from "./results.js";

/** What every scenario gets from the runner. */
export interface ScenarioContext {
  quick: boolean;
  /** Recorded rounds: ≥ 5 in full mode, 3 in quick mode. */
  rounds: number;
  /** Unrecorded warm-up rounds for the slow (dispatcher) scenarios: 1, or 0 in quick mode. */
  warmupRounds: number;
  /** A fresh directory for SQLite files, on a real disk (fsync costs what it costs). */
  tmpDir: string;
  /** Pass to child processes: they then write CPU profiles here. */
  profileDir: string | undefined;
  /** The bench's PostgreSQL, started on first use; undefined when none is available. */
  postgres(): Promise<BenchPostgres | undefined>;
  /** Picks the count for this mode: `size(full, quick)`. */
  size(full: number, quick: number): number;
}

/** One numbered scenario of the issue. */
export interface Scenario {
  id: number;
  title: string;
  run(ctx: ScenarioContext): Promise<ScenarioOutput>;
}

/** Thrown by a scenario that cannot run here (no PostgreSQL); reported as skipped, not failed. */
export class SkipScenario extends Error {}
