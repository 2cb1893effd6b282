import { stripVTControlCharacters, styleText } from "node:util";

/** The CLI's exit codes, documented in every `--help`. */
export const ExitCode = {
  /** The command did what it was asked. */
  Ok: 0,
  /** The command ran but failed: invalid configuration, refused request, unreachable database… */
  Failure: 1,
  /** The command line itself is wrong: unknown option, missing argument, conflicting flags. */
  Usage: 2,
} as const;

/** The text appended to every command's `--help`. */
export const EXIT_CODES_HELP = "Exit codes: 0 ok, 1 failure, 2 usage error.";

/** A `util.styleText` format: a colour, a modifier, or a list of them. */
export type Style = Parameters<typeof styleText>[0];

/** A stream the CLI writes lines to, colouring them only where colour is wanted. */
export interface Printer {
  /** True when this stream is a terminal and `NO_COLOR` is unset. */
  readonly color: boolean;
  /** Writes `text` and a newline. */
  line(text?: string): void;
  /** `text` in `style` when {@link Printer.color} is on, unchanged otherwise. */
  paint(style: Style, text: string): string;
}

/**
 * Wraps a stream. Colour follows the no-color.org convention: only on a TTY, never when
 * `NO_COLOR` is set to anything but the empty string.
 *
 * @example
 * ```ts
 * const out = createPrinter(process.stdout);
 * out.line(out.paint("green", "delivered"));
 * ```
 */
export function createPrinter(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Printer {
  const color = stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
  return {
    color,
    line: (text = "") => {
      stream.write(`${text}\n`);
    },
    // Our own decision above replaces styleText's check, which knows only process.stdout.
    paint: (style, text) => (color ? styleText(style, text, { validateStream: false }) : text),
  };
}

/** Standard output: data (event lines, tables, JSON). */
export const stdout: Printer = createPrinter(process.stdout);
/** Standard error: progress, status and errors, so stdout stays pipeable. */
export const stderr: Printer = createPrinter(process.stderr);

/** A command-line mistake the parser cannot see (conflicting or missing flags): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * Prints an error as `error: <message>` on stderr; with `verbose`, the stack and every `cause`
 * follow. Library errors never hold secrets in their message, so it is printed as is.
 *
 * @example
 * ```ts
 * printError(new Error("database is locked"), false); // error: database is locked
 * ```
 */
export function printError(error: unknown, verbose: boolean): void {
  const message = error instanceof Error ? error.message : String(error);
  stderr.line(`${stderr.paint(["red", "bold"], "error:")} ${message}`);
  if (!verbose) return;
  let current: unknown = error;
  while (current instanceof Error) {
    stderr.line(stderr.paint("dim", current.stack ?? current.message));
    current = current.cause;
    if (current !== undefined) stderr.line(stderr.paint("dim", "caused by:"));
  }
}

/** Visible width of `text`: colour escapes take no room. */
export function visibleWidth(text: string): number {
  return stripVTControlCharacters(text).length;
}

/**
 * Formats rows as an aligned, left-justified table with a header row; cells may be coloured.
 *
 * @example
 * ```ts
 * formatTable(["id", "status"], [["d1", "delivered"]]).join("\n");
 * ```
 */
export function formatTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  printer: Printer = stdout,
): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleWidth(r[i] ?? ""))));
  const pad = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visibleWidth(cell))))
      .join("  ");
  return [printer.paint("bold", pad(headers)), ...rows.map(pad)];
}

/** A millisecond duration for humans: `850 ms`, `1.2 s`, `3 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The colour of an HTTP status: green 2xx, yellow 3xx/4xx, red 5xx and no answer. */
export function statusStyle(status: number | undefined): Style {
  if (status === undefined || status >= 500) return "red";
  if (status >= 200 && status < 300) return "green";
  return "yellow";
}
