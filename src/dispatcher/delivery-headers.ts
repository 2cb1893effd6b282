import { VERSION } from "../version.js";

/**
 * The user agent of every delivery request.
 *
 * @example
 * ```ts
 * USER_AGENT; // "feedback-webhooks/0.1.0"
 * ```
 */
export const USER_AGENT = `feedback-webhooks/${VERSION}`;

/**
 * The headers of one attempt: the configuration's custom headers, then the SDK's own
 * (`content-type`, `user-agent`, `webhook-id`, `webhook-timestamp`, `webhook-attempt`), then
 * the auth headers. Names are lower-cased, so a custom header can never shadow an SDK header.
 *
 * @example
 * ```ts
 * deliveryHeaders({ custom: { "X-Tenant": "acme" }, deliveryId, timestamp: 1735689600, attempt: 1, auth: { authorization: "Bearer …" } });
 * ```
 */
export function deliveryHeaders(input: {
  custom: Record<string, string>;
  deliveryId: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  /** 1-based. */
  attempt: number;
  auth: Record<string, string>;
}): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.custom)) headers[name.toLowerCase()] = value;
  headers["content-type"] = "application/json";
  headers["user-agent"] = USER_AGENT;
  headers["webhook-id"] = input.deliveryId;
  headers["webhook-timestamp"] = String(input.timestamp);
  headers["webhook-attempt"] = String(input.attempt);
  for (const [name, value] of Object.entries(input.auth)) headers[name.toLowerCase()] = value;
  return headers;
}
