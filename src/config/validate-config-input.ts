import { validateKeyMaterial } from "../auth/validate-key-material.js";
import { ConfigValidationError, type Issue } from "../errors.js";
import { toIssues } from "../schemas/to-issues.js";
import { normalizeAuth } from "./normalize-auth.js";
import { validateHeaders } from "./validate-headers.js";
import { validateUrl } from "./validate-url.js";
import type { AuthConfig, WebhookConfig } from "./webhook-config.js";
import { webhookConfigPatchSchema, webhookConfigSchema } from "./webhook-config-schema.js";

/** The validated fields of a configuration, before the registry adds id, version and dates. */
export type ConfigFields = Omit<WebhookConfig, "id" | "version" | "createdAt" | "updatedAt">;

/** Rules that depend on where the registry runs rather than on the configuration. */
export interface ConfigRules {
  /** Allow https URLs whose host is a private, loopback or link-local IP literal. @default false */
  allowPrivateNetworks?: boolean;
}

function crossFieldIssues(fields: ConfigFields, rules: ConfigRules): Issue[] {
  return [
    ...validateUrl(fields.url, { allowHttp: fields.allowHttp, allowPrivateNetworks: rules.allowPrivateNetworks }),
    ...validateHeaders(fields.headers, fields.auth.type),
    ...validateKeyMaterial(fields.auth),
  ];
}

// When the shape is wrong, still check the URL and headers that did parse, so one round trip
// reports every problem rather than the shape problems first and the rest on the next try.
function looseChecks(input: unknown, rules: ConfigRules): Issue[] {
  if (typeof input !== "object" || input === null) return [];
  const { url, allowHttp, headers, auth } = input as Record<string, unknown>;
  const issues: Issue[] = [];
  if (typeof url === "string") {
    issues.push(...validateUrl(url, { allowHttp: allowHttp === true, allowPrivateNetworks: rules.allowPrivateNetworks }));
  }
  const authType = typeof auth === "object" && auth !== null ? String((auth as { type?: unknown }).type) : "none";
  if (typeof headers === "object" && headers !== null && Object.values(headers).every((v) => typeof v === "string")) {
    issues.push(...validateHeaders(headers as Record<string, string>, authType));
  }
  return issues;
}

/**
 * Validates a full configuration input (shape, URL, headers, auth, key strength) and returns the
 * normalized fields. Throws one {@link ConfigValidationError} listing every problem.
 *
 * @example
 * ```ts
 * const fields = validateConfigInput(input, { allowPrivateNetworks: false }, new Date());
 * ```
 */
export function validateConfigInput(input: unknown, rules: ConfigRules, now: Date): ConfigFields {
  const parsed = webhookConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigValidationError([...toIssues(parsed.error), ...looseChecks(input, rules)]);
  const { auth, issues } = normalizeAuth(parsed.data.auth, now);
  const fields: ConfigFields = { ...parsed.data, auth };
  issues.push(...crossFieldIssues(fields, rules));
  if (issues.length > 0) throw new ConfigValidationError(issues);
  return fields;
}

/**
 * Validates a patch against the current fields and returns the merged, normalized fields.
 * A patch's `auth` replaces the whole auth block. Throws {@link ConfigValidationError}.
 *
 * @example
 * ```ts
 * const next = validateConfigPatch(current, { enabled: false }, {}, new Date());
 * ```
 */
export function validateConfigPatch(
  current: ConfigFields,
  patch: unknown,
  rules: ConfigRules,
  now: Date,
): ConfigFields {
  const parsed = webhookConfigPatchSchema.safeParse(patch);
  if (!parsed.success) throw new ConfigValidationError(toIssues(parsed.error), { what: "Invalid webhook configuration patch" });
  const { auth: authInput, ...rest } = parsed.data;
  let auth: AuthConfig = current.auth;
  const issues: Issue[] = [];
  if (authInput !== undefined) {
    const normalized = normalizeAuth(authInput, now);
    auth = normalized.auth;
    issues.push(...normalized.issues);
  }
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  const fields: ConfigFields = { ...current, ...defined, auth };
  issues.push(...crossFieldIssues(fields, rules));
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid webhook configuration patch" });
  return fields;
}
