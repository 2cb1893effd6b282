import { z } from "zod";
import { webhookConfigJsonSchema } from "../config/webhook-config-json-schema.js";
import { feedbackEventSchema, messageExecutionSchema, sandboxSchema } from "./feedback-event-schema.js";
import { channelIdentityMapSchemas, identitySchema } from "./identity-map.js";
import { messageFailureSchema } from "./message-failure.js";

function feedbackEventJsonSchema(): object {
  // A local registry names the shared parts ($defs/MessageFailure, …) without touching zod's global one.
  const names = z.registry<{ id: string }>();
  names.add(sandboxSchema, { id: "Sandbox" });
  names.add(messageExecutionSchema, { id: "MessageExecution" });
  names.add(messageFailureSchema, { id: "MessageFailure" });
  names.add(identitySchema, { id: "Identity" });
  names.add(channelIdentityMapSchemas.email, { id: "EmailIdentityMap" });
  names.add(channelIdentityMapSchemas.sms, { id: "SmsIdentityMap" });
  // `io: "input"` describes the wire payload a receiver accepts: fields with a default (`offers`,
  // `messageFailure`, `messageExclusion`) may be absent, and extra fields are allowed.
  const { $schema, ...rest } = z.toJSONSchema(feedbackEventSchema, {
    target: "draft-2020-12",
    io: "input",
    metadata: names,
  });
  return {
    $schema,
    title: "Feedback event",
    description:
      "A feedback webhook payload (eventType message.feedback) with a known status (sent, delivered, bounce, error, delay, exclude) from the email or sms channel. Extra fields are allowed.",
    ...rest,
  };
}

/**
 * The JSON Schemas (draft 2020-12) this package publishes, by file name: `schemas/<name>.json`.
 * `scripts/generate-json-schemas.ts` writes them; a test fails when a committed file is stale.
 *
 * @example
 * ```ts
 * import { Ajv2020 } from "ajv/dist/2020.js"
 * const validate = new Ajv2020().compile(jsonSchemas()["feedback-event"]!)
 * ```
 */
export function jsonSchemas(): Record<string, object> {
  return { "feedback-event": feedbackEventJsonSchema(), "webhook-config": webhookConfigJsonSchema() };
}

/**
 * The exact text of a schema file: pretty-printed with 2 spaces and a trailing newline.
 *
 * @example
 * ```ts
 * writeFileSync("schemas/feedback-event.json", jsonSchemaFileText(jsonSchemas()["feedback-event"]!))
 * ```
 */
export function jsonSchemaFileText(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
