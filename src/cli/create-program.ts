import { Command } from "commander";
import { VERSION } from "../version.js";
import { registerCampaignCommand } from "./campaign-command.js";
import { registerConfigCommand } from "./config-command.js";
import { registerDeliveriesCommand } from "./deliveries-command.js";
import { registerKeygenCommand } from "./keygen-command.js";
import { registerListenCommand } from "./listen-command.js";
import { registerMigrateCommand } from "./migrate-command.js";
import { registerSchemaCommand } from "./schema-command.js";
import { registerSendCommand } from "./send-command.js";
import { EXIT_CODES_HELP } from "./output.js";

/**
 * Builds the `feedback-webhooks` command line. Errors are thrown rather than exiting
 * (`exitOverride`), so `runCli` alone decides the exit code; settings are set before the
 * subcommands are added, which inherit them.
 *
 * @example
 * ```ts
 * await createProgram().parseAsync(["node", "feedback-webhooks", "schema", "payload"]);
 * ```
 */
export function createProgram(): Command {
  const program = new Command("feedback-webhooks")
    .description(
      "Build and receive feedback webhooks of API-triggered transactional campaigns: listen for events locally, send signed samples, manage configurations and deliveries.",
    )
    .version(VERSION)
    .option("--verbose", "print the stack trace of errors")
    .exitOverride()
    .showHelpAfterError("(add --help for usage and examples)")
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .addHelpText(
      "after",
      `\nExamples:\n  $ feedback-webhooks listen --secret "$FW_SECRET"\n  $ feedback-webhooks send delivered --url http://127.0.0.1:3000/webhooks --secret "$FW_SECRET"\n  $ feedback-webhooks keygen --alg ES256 --out signing-key.pem\n\n${EXIT_CODES_HELP}`,
    );
  registerListenCommand(program);
  registerSendCommand(program);
  registerConfigCommand(program);
  registerCampaignCommand(program);
  registerDeliveriesCommand(program);
  registerKeygenCommand(program);
  registerSchemaCommand(program);
  registerMigrateCommand(program);
  return program;
}
