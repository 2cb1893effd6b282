import type { IncomingMessage } from "node:http";
import { InvalidStateError, PayloadTooLargeError } from "../errors.js";
import { BODY_CONSUMED } from "../receiver/read-body.js";

/**
 * Reads a Node request body into memory, never more than `maxBytes` (+1 chunk to detect the
 * overflow): the Node twin of `readBody`, without a Web stream. A `content-length` above the
 * limit is refused before reading; a lying or absent one is caught while reading, and the
 * request is then paused, never buffered whole (the 413 closes the connection). `preread` is a
 * body a framework already read (`express.raw()`, Fastify's parser); it is held to the same limit.
 *
 * @throws {@link PayloadTooLargeError} over the limit; {@link InvalidStateError} when something
 *   else already read the stream; the request's error when the client aborts it.
 * @example
 * ```ts
 * const bytes = await readNodeBody(req, 256 * 1024);
 * ```
 */
export function readNodeBody(req: IncomingMessage, maxBytes: number, preread?: Uint8Array): Promise<Uint8Array> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new PayloadTooLargeError(maxBytes));
  if (preread !== undefined) {
    return preread.byteLength > maxBytes
      ? Promise.reject(new PayloadTooLargeError(maxBytes))
      : Promise.resolve(preread);
  }
  if (req.readableEnded) return Promise.reject(new InvalidStateError(BODY_CONSUMED));
  if (req.destroyed) return Promise.reject(aborted());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const settle = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        settle();
        // Stop pulling from the socket: the rest of the body is never read.
        req.pause();
        reject(new PayloadTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      settle();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    // Without an error (older or odd streams), a close before the end is an abort too.
    const onClose = () => {
      settle();
      reject(aborted());
    };
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

function aborted(): Error {
  return new Error("The client aborted the request before its body was complete.");
}
