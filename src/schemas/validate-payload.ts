import type { z } from "zod";
import type { Issue } from "../errors.js";
import { payloadErrorMap } from "./payload-error-map.js";
import { formatPath } from "./to-issues.js";

/**
 * The outcome of {@link validatePayload}.
 *
 * @example
 * ```ts
 * const v: Validation = { success: false, issues: [{ path: "channel", message: 'must be one of "email", "sms"' }] }
 * ```
 */
export type Validation = { success: true; data: unknown } | { success: false; issues: Issue[] };

/**
 * Validates `value` against `schema` with the payload messages and returns every problem with
 * its JSON path. An unknown key becomes one issue per key, its path pointing at the key itself.
 *
 * @example
 * ```ts
 * const result = validatePayload(receivedEventSchemas.sent.email, value)
 * if (!result.success) throw new PayloadValidationError(result.issues)
 * ```
 */
export function validatePayload(schema: z.ZodType, value: unknown): Validation {
  const result = schema.safeParse(value, { error: payloadErrorMap });
  if (result.success) return { success: true, data: result.data };
  const issues: Issue[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) issues.push({ path: formatPath([...issue.path, key]), message: issue.message });
    } else {
      issues.push({ path: formatPath(issue.path), message: issue.message });
    }
  }
  return { success: false, issues };
}
