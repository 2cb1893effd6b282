import type { Issue } from "../errors.js";

/** At most this many custom headers per configuration. */
export const MAX_CUSTOM_HEADERS = 32;
const MAX_NAME_LENGTH = 256;
const MAX_VALUE_LENGTH = 4096;
/**
 * All custom headers together. Node refuses a request whose headers exceed 16 KiB (431), and the
 * SDK's own headers (a JWT, the webhook-* ones) need room too.
 */
export const MAX_CUSTOM_HEADER_BYTES = 8192;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Owned by the SDK or the HTTP layer: letting a config set them would break framing or auth.
const RESERVED = new Set([
  "content-type",
  "content-length",
  "host",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-authorization",
  "proxy-connection",
  "user-agent",
]);

/**
 * Checks custom headers against the rules of SPEC §3 and returns every problem found.
 * `authorization` is refused when the auth type sends its own (`jwt`).
 */
export function validateHeaders(headers: Record<string, string>, authType: string): Issue[] {
  const issues: Issue[] = [];
  const names = Object.keys(headers);
  if (names.length > MAX_CUSTOM_HEADERS) {
    issues.push({
      path: "headers",
      message: `at most ${MAX_CUSTOM_HEADERS} custom headers are allowed, got ${names.length}`,
    });
  }
  const total = names.reduce((sum, name) => sum + name.length + String(headers[name]).length + 4, 0);
  if (total > MAX_CUSTOM_HEADER_BYTES) {
    issues.push({
      path: "headers",
      message: `custom headers take ${total} bytes; keep them under ${MAX_CUSTOM_HEADER_BYTES} so receivers accept the request (Node answers 431 above 16 KiB of headers)`,
    });
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    if (name.length > MAX_NAME_LENGTH) {
      issues.push({ path: "headers", message: `header name "${name.slice(0, 40)}…" is longer than ${MAX_NAME_LENGTH} characters` });
      continue;
    }
    const path = `headers.${name}`;
    const lower = name.toLowerCase();
    const value = headers[name];
    if (!TOKEN.test(name)) {
      issues.push({ path, message: "header name must be an RFC 9110 token (letters, digits and !#$%&'*+-.^_`|~, no spaces)" });
      continue;
    }
    const previous = seen.get(lower);
    if (previous !== undefined) {
      issues.push({ path, message: `duplicates header "${previous}" (header names are case-insensitive)` });
    }
    seen.set(lower, name);
    if (RESERVED.has(lower)) {
      issues.push({ path, message: `"${lower}" is set by the SDK or the HTTP layer and cannot be configured` });
    } else if (lower.startsWith("webhook-")) {
      issues.push({ path, message: "webhook-* headers are reserved for the SDK's delivery headers" });
    } else if (lower === "authorization" && authType === "jwt") {
      issues.push({ path, message: "authorization is set by JWT auth; remove it or use auth type none" });
    }
    if (typeof value !== "string") {
      issues.push({ path, message: "header value must be a string" });
    } else if (/[\r\n\0]/.test(value)) {
      issues.push({ path, message: "header value must not contain CR, LF or NUL (header injection)" });
    } else if (value.length > MAX_VALUE_LENGTH) {
      issues.push({ path, message: `header value is longer than ${MAX_VALUE_LENGTH} characters` });
    } else if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      issues.push({ path, message: "header value may contain only visible ASCII/Latin-1 characters, space and tab" });
    }
  }
  return issues;
}
