import { InvalidArgumentError } from "commander";

/**
 * Commander argument parsers shared by the commands. Each throws commander's
 * `InvalidArgumentError`, so a bad value is a usage error (exit code 2) naming the option.
 */

/**
 * Collects repeated `--header "Name: value"` options into a record.
 *
 * @example
 * ```ts
 * cmd.option("--header <K:V>", "custom header (repeatable)", collectHeader);
 * ```
 */
export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const colon = value.indexOf(":");
  if (colon <= 0) throw new InvalidArgumentError(`expected "Name: value", got "${value}".`);
  return { ...previous, [value.slice(0, colon).trim()]: value.slice(colon + 1).trim() };
}

/**
 * Parses an integer option within bounds.
 *
 * @example
 * ```ts
 * cmd.option("--count <n>", "how many events", integerIn(1, 100_000), 1);
 * ```
 */
export function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}".`);
    }
    return n;
  };
}

/**
 * Parses a comma-separated list whose items must be among `allowed`.
 *
 * @example
 * ```ts
 * cmd.option("--channels <list>", "email,sms", listOf(["email", "sms"]));
 * ```
 */
export function listOf<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const wrong = items.filter((s) => !(allowed as readonly string[]).includes(s));
    if (items.length === 0 || wrong.length > 0) {
      throw new InvalidArgumentError(`expected a comma-separated list of ${allowed.join(", ")}, got "${value}".`);
    }
    return items as T[];
  };
}

/**
 * Parses a date option: an ISO 8601 instant, or a duration back from now (`30m`, `24h`, `7d`).
 *
 * @example
 * ```ts
 * cmd.option("--since <when>", "2025-01-01T00:00:00Z or 24h", parseSince);
 * ```
 */
export function parseSince(value: string, now: number = Date.now()): Date {
  const relative = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  if (relative) {
    const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as "s" | "m" | "h" | "d"];
    return new Date(now - Number(relative[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      `expected an ISO date (2025-01-01T00:00:00Z) or a duration (30m, 24h, 7d), got "${value}".`,
    );
  }
  return date;
}

/**
 * Parses an absolute `http:` or `https:` URL option.
 *
 * @example
 * ```ts
 * cmd.requiredOption("--url <url>", "where to POST the events", httpUrl);
 * ```
 */
export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected an absolute URL such as http://127.0.0.1:3000/webhooks, got "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InvalidArgumentError(`expected an http: or https: URL, got "${value}".`);
  }
  return value;
}
