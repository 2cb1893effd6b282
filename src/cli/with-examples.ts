import type { Command } from "commander";
import { EXIT_CODES_HELP } from "./output.js";

/**
 * Appends examples and the exit codes to a command's `--help`.
 *
 * @example
 * ```ts
 * withExamples(program.command("schema"), ["feedback-webhooks schema payload > event.schema.json"]);
 * ```
 */
export function withExamples(cmd: Command, examples: readonly string[]): Command {
  const lines = examples.map((e) => `  $ ${e}`).join("\n");
  return cmd.addHelpText("after", `\nExamples:\n${lines}\n\n${EXIT_CODES_HELP}`);
}
