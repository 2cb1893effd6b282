import { isWebhookError, type Issue } from "../errors.js";
import { type RawResponse, toWebResponse } from "./raw-response.js";

/**
 * The one place that maps an outcome of the receiver to an HTTP answer. Problem bodies follow
 * RFC 9457 and never echo the request body, the token, a key or a handler's error message.
 */

/**
 * An RFC 9457 problem description, as the receiver writes it.
 *
 * @example
 * ```ts
 * const problem = (await response.json()) as Problem;
 * if (problem.status === 422) console.log(problem.issues);
 * ```
 */
export interface Problem {
  /** A URI naming the kind of problem, e.g. `urn:feedback-webhooks:problem:invalid-token`. */
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The library's stable error code, e.g. `ERR_VERIFICATION_FAILED`. */
  code?: string;
  /** Why the credentials were refused (401 only), e.g. `expired`, `replay`. */
  reason?: string;
  /** Every schema problem (422 only). */
  issues?: readonly Issue[];
}

/**
 * How a 401 names its challenge: `Bearer` (JWT) or `WebhookSignature` (Standard Webhooks).
 *
 * @example
 * ```ts
 * errorToResponse(new VerificationError("expired", "…"), "WebhookSignature");
 * ```
 */
export type AuthScheme = "Bearer" | "WebhookSignature";

const REALM = 'realm="feedback-webhooks"';

const VERIFICATION_DETAILS: Record<string, string> = {
  missing: "The request carries no credentials.",
  malformed: "The credentials are malformed.",
  algorithm: "The token's algorithm is not accepted.",
  signature: "The signature does not verify.",
  expired: "The credentials have expired.",
  not_yet_valid: "The credentials are not valid yet.",
  claim: "A token claim does not match this receiver.",
  body_mismatch: "The credentials were issued for another body.",
  key_not_found: "No key of this receiver matches the credentials.",
  replay: "These credentials were already used.",
};

function problemType(slug: string): string {
  return `urn:feedback-webhooks:problem:${slug}`;
}

/**
 * Builds an `application/problem+json` response.
 *
 * @example
 * ```ts
 * problemResponse({ type: "about:blank", title: "Not Found", status: 404, detail: "No such hook." });
 * ```
 */
export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return toWebResponse(problemRawResponse(problem, headers));
}

function problemRawResponse(problem: Problem, headers: Record<string, string> = {}): RawResponse {
  return {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
    body: JSON.stringify(problem),
  };
}

/**
 * The answer to a request that is not a POST: 405 with `Allow: POST`.
 *
 * @example
 * ```ts
 * if (request.method !== "POST") return methodNotAllowedResponse(request.method);
 * ```
 */
export function methodNotAllowedResponse(method: string): Response {
  return toWebResponse(methodNotAllowedRawResponse(method));
}

/**
 * {@link methodNotAllowedResponse} as a {@link RawResponse}, for the transport-agnostic core.
 *
 * @example
 * ```ts
 * if (request.method !== "POST") return methodNotAllowedRawResponse(request.method);
 * ```
 */
export function methodNotAllowedRawResponse(method: string): RawResponse {
  const detail = `Feedback webhooks are delivered with POST, not ${method.slice(0, 20)}.`;
  return problemRawResponse(
    { type: problemType("method-not-allowed"), title: "Method Not Allowed", status: 405, detail },
    { allow: "POST" },
  );
}

/**
 * The HTTP status the receiver answers for `error`: 400, 401, 413, 415, 422, or 500 for anything
 * else (a handler or a dedupe store failed, so the sender retries).
 *
 * @example
 * ```ts
 * statusForError(new PayloadTooLargeError(1024)); // 413
 * ```
 */
export function statusForError(error: unknown): number {
  if (!isWebhookError(error)) return 500;
  switch (error.code) {
    case "ERR_PAYLOAD_MALFORMED":
      return 400;
    case "ERR_VERIFICATION_FAILED":
    case "ERR_REPLAYED":
      return 401;
    case "ERR_PAYLOAD_TOO_LARGE":
      return 413;
    case "ERR_UNSUPPORTED_MEDIA_TYPE":
      return 415;
    case "ERR_PAYLOAD_INVALID":
      return 422;
    default:
      return 500;
  }
}

/**
 * Turns an error thrown while receiving into the answer the sender gets. `authScheme` names the
 * challenge of a 401 (default `Bearer`).
 *
 * @example
 * ```ts
 * try { event = await receiver.verify(input) } catch (e) { return errorToResponse(e, "Bearer") }
 * ```
 */
export function errorToResponse(error: unknown, authScheme: AuthScheme = "Bearer"): Response {
  return toWebResponse(errorToRawResponse(error, authScheme));
}

/**
 * {@link errorToResponse} as a {@link RawResponse}: the mapping itself, which the `Response`
 * form and the Node adapters share so every transport answers alike.
 *
 * @example
 * ```ts
 * errorToRawResponse(new PayloadTooLargeError(1024)).headers.connection; // "close"
 * ```
 */
export function errorToRawResponse(error: unknown, authScheme: AuthScheme = "Bearer"): RawResponse {
  const status = statusForError(error);
  const code = isWebhookError(error) ? error.code : undefined;
  switch (status) {
    case 400:
      return problemRawResponse({
        type: problemType("malformed-body"),
        title: "Bad Request",
        status,
        code,
        detail: "The request body is not valid UTF-8 JSON.",
      });
    case 401:
      return unauthorized(error, authScheme);
    case 413: {
      const limit = (error as { limitBytes?: number }).limitBytes;
      const detail = `The request body exceeds the limit of ${limit} bytes.`;
      // The rest of the body is left unread, so the connection cannot be reused.
      return problemRawResponse(
        { type: problemType("body-too-large"), title: "Content Too Large", status, code, detail },
        { connection: "close" },
      );
    }
    case 415:
      return problemRawResponse({
        type: problemType("unsupported-media-type"),
        title: "Unsupported Media Type",
        status,
        code,
        detail: "Feedback webhooks are sent with content-type application/json.",
      });
    case 422: {
      const issues = (error as { issues: readonly Issue[] }).issues;
      const detail = `The body is not a valid feedback event (${issues.length} problem${issues.length === 1 ? "" : "s"}).`;
      return problemRawResponse({
        type: problemType("invalid-event"),
        title: "Unprocessable Content",
        status,
        code,
        detail,
        issues,
      });
    }
    default:
      return problemRawResponse({
        type: problemType("handler-failed"),
        title: "Internal Server Error",
        status: 500,
        code: code === "ERR_INVALID_STATE" ? code : undefined,
        // Our own misuse messages (ERR_INVALID_STATE) help the developer; anything else may hold secrets.
        detail:
          code === "ERR_INVALID_STATE"
            ? (error as Error).message
            : "The event could not be processed; send it again later.",
      });
  }
}

function unauthorized(error: unknown, scheme: AuthScheme): RawResponse {
  const reason = isWebhookError(error, "ERR_REPLAYED") ? "replay" : String((error as { reason?: unknown }).reason);
  const detail = VERIFICATION_DETAILS[reason] ?? "The credentials were refused.";
  // RFC 6750 §3: a request without credentials gets the bare challenge, without an error code.
  const challenge =
    reason === "missing"
      ? `${scheme} ${REALM}`
      : `${scheme} ${REALM}, error="invalid_token", error_description="${detail}"`;
  return problemRawResponse(
    {
      type: problemType("invalid-credentials"),
      title: "Unauthorized",
      status: 401,
      code: isWebhookError(error) ? error.code : undefined,
      reason,
      detail,
    },
    { "www-authenticate": challenge },
  );
}
