import type { AuthConfig, WebhookConfig } from "../config/webhook-config.js";
import { formatTable, type Printer, stdout } from "./output.js";

function describeAuth(auth: AuthConfig): string {
  if (auth.type === "none") return "none";
  if (auth.type === "standard-webhooks") {
    const previous = auth.previousSecrets.length;
    return `standard-webhooks, secret [REDACTED]${previous > 0 ? ` (+${previous} previous until rotation ends)` : ""}`;
  }
  const keys = auth.keys
    .map(
      (k) =>
        `${k.kid}${k.ref !== undefined ? " (ref)" : " [REDACTED]"}${k.notAfter ? ` until ${k.notAfter.toISOString()}` : ""}`,
    )
    .join(", ");
  return `jwt ${auth.algorithm}, iss "${auth.issuer}"${auth.audience ? `, aud "${auth.audience}"` : ""}, exp ${auth.expiresInSeconds} s, keys: ${keys}`;
}

/**
 * The lines `config show` prints: one field per line, key material always `[REDACTED]`.
 *
 * @example
 * ```ts
 * for (const line of describeConfig(config)) console.log(line);
 * ```
 */
export function describeConfig(config: WebhookConfig, printer: Printer = stdout): string[] {
  const headers = Object.entries(config.headers).map(([k, v]) => `${k}: ${v}`);
  const rows: Array<[string, string]> = [
    ["id", config.id],
    ["version", String(config.version)],
    ["org", config.orgId],
    ["sandbox", `${config.sandbox.name} (${config.sandbox.id})`],
    ["name", config.name],
    ["channels", config.channels.join(", ")],
    ["url", config.url + (config.allowHttp ? "  (allowHttp: development opt-in)" : "")],
    ["enabled", config.enabled ? printer.paint("green", "yes") : printer.paint("yellow", "no")],
    ["auth", describeAuth(config.auth)],
    ["headers", headers.length === 0 ? "(none)" : headers.join("; ")],
    ["created", config.createdAt.toISOString()],
    ["updated", config.updatedAt.toISOString()],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${printer.paint("bold", k.padEnd(width))}  ${v}`);
}

/**
 * The table `config list` prints.
 *
 * @example
 * ```ts
 * for (const line of configTable(page.items)) console.log(line);
 * ```
 */
export function configTable(configs: readonly WebhookConfig[], printer: Printer = stdout): string[] {
  return formatTable(
    ["id", "org", "sandbox", "name", "channels", "auth", "enabled", "version", "url"],
    configs.map((c) => [
      c.id,
      c.orgId,
      c.sandbox.name,
      c.name,
      c.channels.join(","),
      c.auth.type === "jwt" ? `jwt ${c.auth.algorithm}` : c.auth.type,
      c.enabled ? printer.paint("green", "yes") : printer.paint("yellow", "no"),
      String(c.version),
      c.url,
    ]),
    printer,
  );
}
