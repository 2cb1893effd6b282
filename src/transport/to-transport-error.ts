import { TransportError } from "../errors.js";
import { findRefusal } from "./ssrf-guard.js";

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
  "ABORT_ERR_TIMEOUT",
]);

function codeOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ERR_TRANSPORT") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Maps whatever an HTTP client threw to a {@link TransportError} with the right `kind`. The
 * message names the failure and the host, never headers or bodies (they may carry tokens).
 *
 * @example
 * ```ts
 * catch (e) { throw toTransportError(e, { url, timedOut: timeout.aborted, aborted: signal?.aborted }) }
 * ```
 */
export function toTransportError(
  error: unknown,
  context: { url: URL; timeoutMs: number; timedOut: boolean; aborted: boolean },
): TransportError {
  const refused = findRefusal(error);
  if (refused) return refused;
  const host = context.url.host;
  if (context.aborted) return new TransportError("aborted", `Request to ${host} was aborted.`, { cause: error });
  const code = codeOf(error);
  if (context.timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new TransportError("timeout", `Request to ${host} timed out after ${context.timeoutMs} ms.`, {
      cause: error,
    });
  }
  const detail = code ?? (error instanceof Error ? error.name : "error");
  return new TransportError("network", `Request to ${host} failed: ${detail}.`, { cause: error });
}
