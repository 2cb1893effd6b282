/** What the user's app answered to a forwarded event. */
export type ForwardResult = { status: number; durationMs: number } | { error: string; durationMs: number };

// Hop-by-hop and framing headers belong to the incoming connection, not to the relayed request.
const DROPPED = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "expect",
  "upgrade",
]);

/**
 * Relays a verified delivery to `url`: the same raw body and the same headers (the token and the
 * `webhook-*` headers included), so the app can verify it exactly as it would in production.
 * Redirects are not followed, like the dispatcher.
 *
 * @example
 * ```ts
 * const result = await forwardRequest("http://localhost:8080/hooks", request.headers, body, 10_000);
 * ```
 */
export async function forwardRequest(
  url: string,
  headers: Headers,
  body: Uint8Array,
  timeoutMs: number,
): Promise<ForwardResult> {
  const relayed = new Headers();
  headers.forEach((value, name) => {
    if (!DROPPED.has(name)) relayed.set(name, value);
  });
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: relayed,
      body: body as Uint8Array<ArrayBuffer>,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return { status: response.status, durationMs: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `timed out after ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { error: reason, durationMs: performance.now() - started };
  }
}
