/** A result table: a title, column headers and rows of already formatted cells. */
export interface Table {
  title: string;
  headers: string[];
  rows: string[][];
  /** Lines printed under the table (what was measured, how). */
  notes?: string[];
}

const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|");

/** Renders a GitHub-flavoured Markdown table, padded so it also reads well on a terminal. */
export function renderTable(table: Table): string {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => escapeCell(r[i] ?? "").length)),
  );
  const line = (cells: string[]) => `| ${cells.map((c, i) => escapeCell(c).padEnd(widths[i]!)).join(" | ")} |`;
  const out = [`**${table.title}**`, "", line(table.headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`];
  for (const row of table.rows) out.push(line(row));
  for (const note of table.notes ?? []) out.push("", note);
  return out.join("\n");
}
