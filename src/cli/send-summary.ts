import { formatDuration, type Printer, statusStyle } from "./output.js";

/** The outcome of one sent event. */
export interface SendResult {
  status: string;
  channel: string;
  deliveryId: string;
  /** The HTTP status; absent when no answer arrived. */
  code?: number;
  /** Why no answer arrived. */
  error?: string;
  /** The answer's body, shown for a single refused event. */
  answer?: string;
  ms: number;
}

const isOk = (r: SendResult) => r.code !== undefined && r.code >= 200 && r.code < 300;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Prints what `send` did: for one event, one line with the answer (and the body of a refusal);
 * for many, the count per answer and the latency distribution. Returns how many failed.
 *
 * @example
 * ```ts
 * const failed = printSendSummary(results, url, stdout);
 * ```
 */
export function printSendSummary(results: readonly SendResult[], url: string, printer: Printer): number {
  const failed = results.filter((r) => !isOk(r)).length;
  const [only] = results;
  if (results.length === 1 && only !== undefined) {
    const answer = only.code !== undefined ? String(only.code) : `no answer: ${only.error}`;
    printer.line(
      `${only.status} ${only.channel} → ${url}  ${printer.paint(statusStyle(only.code), answer)} in ${formatDuration(only.ms)}  (webhook-id ${only.deliveryId})`,
    );
    if (!isOk(only) && only.answer) printer.line(printer.paint("dim", only.answer.slice(0, 2000)));
    return failed;
  }
  const byAnswer = new Map<string, number>();
  for (const r of results) {
    const key = r.code !== undefined ? String(r.code) : (r.error ?? "no answer");
    byAnswer.set(key, (byAnswer.get(key) ?? 0) + 1);
  }
  const byStatus = new Map<string, number>();
  for (const r of results) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const ms = results.map((r) => r.ms).sort((a, b) => a - b);
  printer.line(`sent ${results.length} events to ${url}: ${[...byStatus].map(([s, n]) => `${n} ${s}`).join(", ")}`);
  for (const [answer, n] of [...byAnswer].sort()) {
    const code = Number(answer);
    printer.line(`  ${printer.paint(statusStyle(Number.isInteger(code) ? code : undefined), answer.padEnd(5))} ${n}`);
  }
  printer.line(
    `latency: min ${formatDuration(ms[0] ?? 0)}, p50 ${formatDuration(percentile(ms, 50))}, p95 ${formatDuration(percentile(ms, 95))}, max ${formatDuration(ms.at(-1) ?? 0)}`,
  );
  return failed;
}
