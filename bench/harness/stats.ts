/** A median with the spread of the rounds it summarizes. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** How many samples (rounds). */
  n: number;
}

/** The value at quantile `q` (0–1) of `values`, by linear interpolation between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Median, min and max of the samples of several rounds. */
export function summarize(samples: readonly number[]): Summary {
  return { median: quantile(samples, 0.5), min: Math.min(...samples), max: Math.max(...samples), n: samples.length };
}

/**
 * The ratio of two contenders measured in the same rounds: the median of the per-round ratios,
 * so that drift between rounds (a noisy neighbour) cancels instead of widening the result.
 */
export function ratioOf(a: readonly number[], b: readonly number[]): Summary {
  const ratios = a.map((x, i) => x / b[i]!).filter((r) => Number.isFinite(r));
  return summarize(ratios);
}
