import { RESPONSE_BODY_LIMIT } from "./transport.js";

async function* chunksOf(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!("getReader" in body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops the download when the caller leaves early (limit reached).
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Reads at most `limit` bytes of a body (a Node stream or a web `ReadableStream`) and decodes
 * them as UTF-8 (a character cut at the limit becomes U+FFFD). Stops reading at the limit, so a
 * huge or endless body costs nothing.
 *
 * @example
 * ```ts
 * const text = await readLimitedBody(response.body); // ≤ 4 KiB
 * ```
 */
export async function readLimitedBody(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null,
  limit: number = RESPONSE_BODY_LIMIT,
): Promise<string> {
  if (body === null) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of chunksOf(body)) {
    const take = chunk.subarray(0, limit - size);
    chunks.push(take);
    size += take.length;
    if (size >= limit) break;
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
