import { z } from "zod";
import { webhookConfigSchema } from "./webhook-config-schema.js";

/**
 * The JSON Schema (draft 2020-12) of what `registry.create()` accepts, for editors and other
 * languages. Byte-array secrets have no JSON form, so the schema shows secrets as strings; the
 * URL, header and key-strength rules are checked by the registry beyond what JSON Schema says.
 *
 * @example
 * ```ts
 * const schema = webhookConfigJsonSchema(); // also shipped as feedback-webhooks/schemas/webhook-config.json
 * ```
 */
export function webhookConfigJsonSchema(): object {
  const { $schema, ...rest } = z.toJSONSchema(webhookConfigSchema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  });
  return {
    $schema,
    title: "Webhook configuration",
    description:
      "Input of registry.create(): one feedback webhook per organization + sandbox. The registry also checks URL safety, reserved headers and key strength.",
    ...rest,
  };
}
