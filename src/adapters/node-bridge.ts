import type { IncomingMessage, ServerResponse } from "node:http";
import { toHeaders } from "../receiver/to-headers.js";

/**
 * The Node half of every adapter: a Node request becomes a Web `Request` whose body streams from
 * the socket, and a Web `Response` is written back.
 */

function nodeBodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        if (cancelled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.once("end", () => cancelled || controller.close());
      req.once("error", (error) => cancelled || controller.error(error));
    },
    pull() {
      req.resume();
    },
    cancel() {
      // Unlike Readable.toWeb, do not destroy the request: that would destroy the socket before
      // the 413 is written. The answer carries `connection: close` instead.
      cancelled = true;
      req.pause();
    },
  });
}

/**
 * Turns a Node request into a Web `Request`. `body`, when given, replaces the stream (for
 * frameworks that already read the raw bytes).
 *
 * @example
 * ```ts
 * const response = await receiver.handle(toWebRequest(req));
 * ```
 */
export function toWebRequest(req: IncomingMessage, body?: Uint8Array<ArrayBuffer>): Request {
  const method = req.method ?? "GET";
  const init: RequestInit & { duplex?: "half" } = { method, headers: toHeaders(req.headers) };
  if (method !== "GET" && method !== "HEAD") {
    init.body = body ?? nodeBodyStream(req);
    init.duplex = "half";
  }
  // The receiver never routes on the URL; a fixed origin avoids trusting the Host header.
  let url: URL;
  try {
    url = new URL(req.url ?? "/", "http://localhost");
  } catch {
    url = new URL("http://localhost/");
  }
  return new Request(url, init);
}

/**
 * Writes a Web `Response` (small, as the receiver's answers are) to a Node response.
 *
 * @example
 * ```ts
 * await sendWebResponse(res, await receiver.handle(toWebRequest(req)));
 * ```
 */
export async function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  res.end(body);
}
