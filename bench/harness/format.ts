import type { Summary } from "./stats.js";

/** 12345.6 → "12,346"; small numbers keep 2–3 significant digits. */
export function fmt(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return "n/a";
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  return value.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** "12,346 (11,900..12,510)": the median with the min..max of the rounds. */
export function fmtSummary(s: Summary, digits?: number): string {
  return `${fmt(s.median, digits)} (${fmt(s.min, digits)}..${fmt(s.max, digits)})`;
}

/** A ratio: "0.83× (0.80..0.86)". */
export function fmtRatio(s: Summary): string {
  return `${fmt(s.median, 2)}× (${fmt(s.min, 2)}..${fmt(s.max, 2)})`;
}

/** Bytes as MB (10^6), the unit of the targets. */
export function fmtMb(bytes: number): string {
  return `${fmt(bytes / 1e6, 1)} MB`;
}
