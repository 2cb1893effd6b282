import type { AttemptRecord, DeliveryRecord, DeliveryStatus } from "../storage/storage.js";
import { formatDuration, formatTable, type Printer, stdout, statusStyle } from "./output.js";

const STATUS_COLORS: Record<DeliveryStatus, "green" | "yellow" | "cyan" | "red"> = {
  delivered: "green",
  pending: "yellow",
  in_flight: "cyan",
  dead: "red",
};

function lastOutcome(attempt: AttemptRecord | undefined, printer: Printer): string {
  if (attempt === undefined) return printer.paint("dim", "no attempt yet");
  if (attempt.statusCode !== undefined)
    return printer.paint(statusStyle(attempt.statusCode), String(attempt.statusCode));
  return printer.paint("red", attempt.error ?? "failed");
}

function when(record: DeliveryRecord): string {
  switch (record.status) {
    case "delivered":
      return `delivered ${record.deliveredAt?.toISOString() ?? ""}`;
    case "dead":
      return `dead ${record.deadAt?.toISOString() ?? ""} (${record.deadReason ?? "?"})`;
    case "pending":
      return `next attempt ${record.availableAt.toISOString()}`;
    case "in_flight":
      return `lease until ${record.availableAt.toISOString()}`;
  }
}

/**
 * The table `deliveries list` prints: one delivery per row with its last answer.
 *
 * @example
 * ```ts
 * for (const line of deliveriesTable(records)) console.log(line);
 * ```
 */
export function deliveriesTable(records: readonly DeliveryRecord[], printer: Printer = stdout): string[] {
  return formatTable(
    ["id", "status", "attempts", "last", "request", "config", "when"],
    records.map((r) => [
      r.id,
      printer.paint(STATUS_COLORS[r.status], r.status),
      String(r.attempts),
      lastOutcome(r.attemptLog.at(-1), printer),
      r.requestId,
      r.configId,
      when(r),
    ]),
    printer,
  );
}

/**
 * The lines `deliveries show` prints: the delivery, then its attempt log as a table.
 *
 * @example
 * ```ts
 * for (const line of describeDelivery(record)) console.log(line);
 * ```
 */
export function describeDelivery(record: DeliveryRecord, printer: Printer = stdout): string[] {
  const rows: Array<[string, string]> = [
    ["id", record.id],
    ["status", `${printer.paint(STATUS_COLORS[record.status], record.status)}  ${when(record)}`],
    ["config", record.configId],
    ["org", `${record.orgId} / ${record.sandboxName}`],
    ["request", record.requestId],
    ["attempts", String(record.attempts)],
    ["created", record.createdAt.toISOString()],
    ["body", `${Buffer.byteLength(record.body)} bytes`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${printer.paint("bold", k.padEnd(width))}  ${v}`);
  if (record.attemptLog.length === 0) return [...lines, "", "no attempt yet"];
  const table = formatTable(
    ["#", "started", "duration", "answer", "detail"],
    record.attemptLog.map((a) => [
      String(a.attempt),
      a.startedAt.toISOString(),
      formatDuration(a.durationMs),
      lastOutcome(a, printer),
      (a.statusCode !== undefined ? (a.error ?? a.responseBody ?? "") : "").replace(/\s+/g, " ").slice(0, 80),
    ]),
    printer,
  );
  return [...lines, "", ...table];
}
