import { type Command, Argument } from "commander";
import { jsonSchemas } from "../schemas/json-schemas.js";
import { withExamples } from "./with-examples.js";
import { stdout } from "./output.js";

const NAMES = { payload: "feedback-event", config: "webhook-config" } as const;

/**
 * Registers `schema [payload|config]`: prints the JSON Schema of the feedback event or of the
 * webhook configuration, for validators and code generators in other languages.
 *
 * @example
 * ```ts
 * registerSchemaCommand(program);
 * ```
 */
export function registerSchemaCommand(program: Command): void {
  const cmd = program
    .command("schema")
    .description("print a JSON Schema: the feedback event (payload) or the webhook configuration (config)")
    .addArgument(new Argument("[which]", "which schema").choices(Object.keys(NAMES)).default("payload"))
    .action((which: keyof typeof NAMES) => {
      const schema = jsonSchemas()[NAMES[which]];
      if (schema === undefined) throw new Error(`this version has no JSON Schema for the ${which}.`);
      stdout.line(JSON.stringify(schema, null, 2));
    });
  withExamples(cmd, [
    "feedback-webhooks schema payload > feedback-event.schema.json",
    "feedback-webhooks schema config",
  ]);
}
