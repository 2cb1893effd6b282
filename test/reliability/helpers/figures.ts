import { appendFileSync } from "node:fs";

/** What one scenario injected and what came out, as RELIABILITY.md reports it. */
export interface Figures {
  /** The scenario, as named in RELIABILITY.md. */
  scenario: string;
  /** Events published (or requests sent, for receiver scenarios). */
  sent: number;
  delivered: number;
  dead: number;
  /** Deliveries the receiver acknowledged (2xx) more than once. */
  duplicated: number;
  /** Published events that ended neither delivered nor dead (held ones included). Must be 0. */
  lost: number;
  /** Anything else worth a column: attempts, durations, statuses. */
  notes?: string;
}

/**
 * Records a scenario's figures: appended as one JSON line to `$FW_FIGURES_FILE` when set (that is
 * how RELIABILITY.md's numbers are collected), otherwise dropped.
 *
 * @example
 * ```ts
 * recordFigures({ scenario: "500s then recovery", sent: 20, delivered: 20, dead: 0, duplicated: 0, lost: 0 });
 * ```
 */
export function recordFigures(figures: Figures): void {
  const file = process.env.FW_FIGURES_FILE;
  if (file === undefined || file === "") return;
  appendFileSync(file, `${JSON.stringify({ ...figures, soak: process.env.FW_SOAK === "1" })}\n`);
}
