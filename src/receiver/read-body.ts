import { InvalidStateError, PayloadTooLargeError } from "../errors.js";

/** Why an already read body cannot be verified (every transport says the same). */
export const BODY_CONSUMED =
  "The request body was already read before the feedback webhook receiver got it (a body parser or middleware " +
  "ran first), so the raw bytes needed to verify the delivery are gone. Hand the request to the receiver first.";

/**
 * Reads a request body into memory, never more than `maxBytes` (+1 to detect the overflow).
 * A `content-length` above the limit is refused before reading; a lying or absent one is
 * caught while reading, chunk by chunk, so an unbounded body is never buffered.
 *
 * @throws {@link PayloadTooLargeError} when the body exceeds `maxBytes`; {@link InvalidStateError}
 *   when something already read the body.
 * @example
 * ```ts
 * const bytes = await readBody(request, 256 * 1024);
 * ```
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (request.bodyUsed) throw new InvalidStateError(BODY_CONSUMED);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop pulling: the rest of the body is never read (the answer closes the connection).
      reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return concat(chunks, total);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
