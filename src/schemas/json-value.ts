import { z } from "zod";

/**
 * Any value that survives `JSON.stringify` → `JSON.parse` unchanged.
 *
 * @example
 * ```ts
 * const offers: JsonValue = { items: [{ id: "A-1", rank: 1 }] }
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/**
 * A JSON object.
 *
 * @example
 * ```ts
 * const extra: JsonObject = { locale: "en-US" }
 * ```
 */
export type JsonObject = { [key: string]: JsonValue };

type Step = { value: unknown } | { leave: object };

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  // Prototype `null` or a realm's `Object.prototype`: class instances (Date, Map, …) are not JSON.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * True when `value` is a JSON value: finite numbers, no `undefined`, functions, class instances,
 * holes or cycles. Walks with an explicit stack, so absurdly deep input cannot overflow the call stack.
 *
 * @example
 * ```ts
 * isJsonValue({ a: [1, "x", null] }) // true
 * isJsonValue({ a: Number.NaN })     // false
 * ```
 */
export function isJsonValue(value: unknown): value is JsonValue {
  const ancestors = new Set<object>();
  const stack: Step[] = [{ value }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    if ("leave" in step) {
      ancestors.delete(step.leave);
      continue;
    }
    const v = step.value;
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    // Shared (non-cyclic) references are fine in JSON; only a value inside itself is not.
    if (typeof v !== "object" || ancestors.has(v)) return false;
    ancestors.add(v);
    stack.push({ leave: v });
    if (Array.isArray(v)) {
      // Index loop, not Object.values: a hole must be refused (JSON would turn it into null).
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i] });
    } else if (isPlainObject(v)) {
      for (const child of Object.values(v)) stack.push({ value: child });
    } else {
      return false;
    }
  }
  return true;
}

/**
 * zod schema of any JSON value. Not `z.json()`: that one recurses and overflows the stack on
 * deeply nested input, which a receiver must survive.
 *
 * @example
 * ```ts
 * jsonValueSchema.parse([1, { a: null }])
 * ```
 */
export const jsonValueSchema = z
  .unknown()
  .refine(
    (value): value is JsonValue => isJsonValue(value),
    "must be a JSON value (no undefined, NaN, Infinity, functions, class instances, holes or cycles)",
  );
