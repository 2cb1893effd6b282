import type { Table } from "./table.js";

/** One target of the issue, checked against this run. */
export interface TargetCheck {
  /** "1a", "2", … as listed in BENCHMARKS.md. */
  id: string;
  what: string;
  /** The target as stated, e.g. "≥ 0.5× floor". */
  target: string;
  /** The measured value, e.g. "0.62× (0.58..0.65)". */
  measured: string;
  /** Undefined when the target could not be measured in this run (e.g. no PostgreSQL). */
  met: boolean | undefined;
}

/** What a scenario returns. */
export interface ScenarioOutput {
  tables: Table[];
  targets: TargetCheck[];
  /** Paragraphs under the scenario's tables: method, caveats. */
  notes: string[];
  /** Raw numbers, kept in the JSON results for later comparison (before/after). */
  raw?: unknown;
  /** How many recorded rounds, when not the context's (a one-run memory measurement). */
  rounds?: number;
}

/** A scenario's output with when and how it ran. */
export interface ScenarioResult extends ScenarioOutput {
  id: number;
  title: string;
  date: string;
  quick: boolean;
  seconds: number;
  /** The code measured (commit, uncommitted files in src/). */
  code?: string;
  /** Set when the scenario failed or was skipped; the message says why. */
  error?: string;
  skipped?: string;
}
