import { CommanderError } from "commander";
import { createProgram } from "./create-program.js";
import { ExitCode, printError, UsageError } from "./output.js";

/**
 * Runs the CLI and resolves with its exit code: 0 ok, 1 failure, 2 usage error. Commander has
 * already printed its own usage errors; everything else becomes one `error: …` line (and the
 * stack with `--verbose`).
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv);
 * ```
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
    printError(error, verbose);
    return error instanceof UsageError ? ExitCode.Usage : ExitCode.Failure;
  }
}
