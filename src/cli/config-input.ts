import type { Channel } from "../schemas/channel.js";
import type { WebhookConfig } from "../config/webhook-config.js";
import { authFromFlags, type SigningFlags } from "./auth-flags.js";
import { UsageError } from "./output.js";
import { readTextFile } from "./read-text-file.js";

/** The flags of `config create` and `config update` that describe the webhook itself. */
export interface ConfigFlags extends SigningFlags {
  fromFile?: string;
  org?: string;
  sandbox?: string;
  sandboxId?: string;
  name?: string;
  url?: string;
  channels?: Channel[];
  header?: Record<string, string>;
  removeHeader?: string[];
  allowHttp?: boolean;
  enabled?: boolean;
}

function readJsonObject(file: string): Record<string, unknown> {
  const text = readTextFile(file, "--from-file");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`--from-file ${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${file} must hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** The fields both create and update take from flags; undefined ones are left out. */
function changedFields(flags: ConfigFlags): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    name: flags.name,
    url: flags.url,
    channels: flags.channels,
    allowHttp: flags.allowHttp,
    enabled: flags.enabled,
    auth: authFromFlags(flags),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/**
 * The input of `registry.create()`: the `--from-file` JSON, overridden by flags. Validation is
 * the library's own, so the CLI reports exactly what `registry.create()` would.
 *
 * @example
 * ```ts
 * const input = createInputFromFlags({ org: "myImsOrg", sandbox: "prod", … });
 * ```
 */
export function createInputFromFlags(flags: ConfigFlags): Record<string, unknown> {
  const input: Record<string, unknown> = flags.fromFile ? readJsonObject(flags.fromFile) : {};
  if (flags.org !== undefined) input.orgId = flags.org;
  if (flags.sandbox !== undefined) {
    // A local setup rarely knows the platform's sandbox UUID; the name stands in for it.
    input.sandbox = { id: flags.sandboxId ?? flags.sandbox, name: flags.sandbox };
  }
  Object.assign(input, changedFields(flags));
  input.channels ??= ["email", "sms"];
  const headers = { ...((input.headers as Record<string, string> | undefined) ?? {}), ...flags.header };
  for (const name of flags.removeHeader ?? []) delete headers[name];
  input.headers = headers;
  if (input.auth === undefined) {
    throw new UsageError("choose the authentication: --secret <secret>, --private-key <file> or --no-auth.");
  }
  return input;
}

/**
 * The patch of `registry.update()`: the `--from-file` JSON, overridden by flags. `--header`
 * adds or replaces one header and `--remove-header` drops one; the others are kept.
 *
 * @example
 * ```ts
 * const patch = patchFromFlags({ enabled: false, kid: "key-1", issuer: "x", secretEncoding: "base64url" }, current);
 * ```
 */
export function patchFromFlags(flags: ConfigFlags, current: WebhookConfig): Record<string, unknown> {
  const patch: Record<string, unknown> = flags.fromFile ? readJsonObject(flags.fromFile) : {};
  Object.assign(patch, changedFields(flags));
  if (flags.header !== undefined || flags.removeHeader !== undefined) {
    const headers = { ...((patch.headers as Record<string, string> | undefined) ?? current.headers), ...flags.header };
    for (const name of flags.removeHeader ?? []) delete headers[name];
    patch.headers = headers;
  }
  if (Object.keys(patch).length === 0) throw new UsageError("nothing to update: give at least one field to change.");
  return patch;
}
