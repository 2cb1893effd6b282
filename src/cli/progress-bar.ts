import { createPrinter } from "./output.js";

/** A one-line progress bar on a terminal. */
export interface ProgressBar {
  /** Counts one finished item, `ok` or failed. */
  tick(ok: boolean): void;
  /** Draws the final state and moves to the next line. */
  done(): void;
}

const WIDTH = 30;
const REDRAW_MS = 50;

/**
 * A progress bar for `total` items, redrawn at most every 50 ms. On anything but a terminal it
 * draws nothing, so logs and test output stay clean.
 *
 * @example
 * ```ts
 * const bar = createProgressBar(100);
 * for (const r of results) bar.tick(r.ok);
 * bar.done();
 * ```
 */
export function createProgressBar(total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const printer = createPrinter(stream);
  let ok = 0;
  let failed = 0;
  let lastDraw = 0;
  const draw = () => {
    const finished = ok + failed;
    const filled = Math.round((finished / total) * WIDTH);
    const bar = printer.paint("green", "█".repeat(filled)) + printer.paint("dim", "░".repeat(WIDTH - filled));
    const counts = `${printer.paint("green", `✓ ${ok}`)}${failed > 0 ? `  ${printer.paint("red", `✗ ${failed}`)}` : ""}`;
    stream.write(`\r${bar} ${finished}/${total} ${Math.floor((finished / total) * 100)}%  ${counts}\x1b[K`);
  };
  if (stream.isTTY !== true) return { tick: () => {}, done: () => {} };
  return {
    tick(success) {
      if (success) ok++;
      else failed++;
      const now = Date.now();
      if (now - lastDraw >= REDRAW_MS) {
        lastDraw = now;
        draw();
      }
    },
    done() {
      draw();
      stream.write("\n");
    },
  };
}
