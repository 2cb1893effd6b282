import type { z } from "zod";

const ARTICLE: Record<string, string> = {
  int: "an integer",
  object: "an object",
  array: "a list",
  tuple: "a list",
  record: "an object",
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  null: "null",
};

/**
 * A short, safe description of an input value for messages: never the content of an object,
 * and at most 40 characters of a string.
 *
 * @example
 * ```ts
 * preview("opened") // 'the string "opened"'
 * preview([1, 2])   // "a list"
 * ```
 */
export function preview(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") {
    const quoted = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return `the string ${quoted}`;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return ARTICLE[typeof value] ?? typeof value;
}

function bound(issue: { origin: string; inclusive?: boolean }, limit: number | bigint | Date, small: boolean): string {
  if (issue.origin === "array" || issue.origin === "set") {
    return small && limit === 1 ? "must not be empty" : `must have ${small ? "at least" : "at most"} ${limit} items`;
  }
  if (issue.origin === "string") {
    return small && limit === 1 ? "must not be empty" : `must be ${small ? "at least" : "at most"} ${limit} characters`;
  }
  const op = small ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
  return `must be ${op} ${String(limit)}`;
}

/**
 * The messages of payload problems, for issues whose schema sets none: short, actionable, and
 * never echoing more of the input than a type or a short string.
 *
 * @example
 * ```ts
 * schema.safeParse(value, { error: payloadErrorMap }) // "is required", "must be a string, got 42", …
 * ```
 */
export const payloadErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "is required";
      return `must be ${ARTICLE[issue.expected] ?? issue.expected}, got ${preview(issue.input)}`;
    }
    case "invalid_value": {
      const values = issue.values.map((v) => JSON.stringify(v));
      const allowed = values.length === 1 ? `${values[0]}` : `one of ${values.join(", ")}`;
      return issue.input === undefined ? `is required (${allowed})` : `must be ${allowed}`;
    }
    case "too_small":
      return bound(issue, issue.minimum, true);
    case "too_big":
      return bound(issue, issue.maximum, false);
    case "unrecognized_keys": {
      const shape = (issue.inst?._zod.def as { shape?: object } | undefined)?.shape;
      const allowed = shape === undefined ? "" : ` (allowed here: ${Object.keys(shape).join(", ")})`;
      return `unknown field: senders are strict, remove it or fix its spelling${allowed}`;
    }
    default:
      return undefined;
  }
};

/**
 * `a "bounce" event`, `an "error" event`: the status quoted, with the right article.
 *
 * @example
 * ```ts
 * statusEvent("exclude") // 'an "exclude" event'
 * ```
 */
export function statusEvent(status: string): string {
  return `${/^[aeiou]/i.test(status) ? "an" : "a"} "${status}" event`;
}

/**
 * A zod `error` option that keeps the map's "is required" for a missing value and says
 * `message` otherwise.
 *
 * @example
 * ```ts
 * z.int({ error: unlessMissing("must be a whole number ≥ 0") })
 * ```
 */
export function unlessMissing(message: string): (issue: { input?: unknown }) => string | undefined {
  return (issue) => (issue.input === undefined ? undefined : message);
}
