const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE = /\+\d[\d\s().-]{6,}\d/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const WHSEC = /\bwhsec_[A-Za-z0-9+/=]+/g;
const SENSITIVE_KEY = /authorization|signature|secret|token|password|private|key|cookie|identit|email|phone/i;

/**
 * Masks what must never reach a log: email addresses, phone numbers, bearer tokens, JWTs and
 * `whsec_` secrets inside free text (error messages from user code, response snippets).
 *
 * @example
 * ```ts
 * redactText("no mailbox for john.doe@luma.com"); // "no mailbox for [email]"
 * ```
 */
export function redactText(text: string): string {
  return text
    .replace(BEARER, "$1 [redacted]")
    .replace(JWT, "[jwt]")
    .replace(WHSEC, "[secret]")
    .replace(EMAIL, "[email]")
    .replace(PHONE, "[phone]");
}

/**
 * Returns a copy of log fields with sensitive keys replaced by `[redacted]` and free-text values
 * passed through {@link redactText}. Nested objects are handled; `Error`s become `{ name, code, message }`.
 *
 * @example
 * ```ts
 * redactFields({ deliveryId: "d-1", headers: { authorization: "Bearer x" } });
 * // { deliveryId: "d-1", headers: { authorization: "[redacted]" } }
 * ```
 */
export function redactFields(fields: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SENSITIVE_KEY.test(key)) out[key] = "[redacted]";
    else out[key] = redactValue(value, depth);
  }
  return out;
}

function redactValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return redactText(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, ...(typeof code === "string" && { code }), message: redactText(value.message) };
  }
  if (value instanceof Date || typeof value !== "object" || value === null) return value;
  if (depth >= 4) return "[…]";
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  return redactFields(value as Record<string, unknown>, depth + 1);
}
