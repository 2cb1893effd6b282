import type { HeaderReader } from "./header-reader.js";
import type { RawResponse } from "./raw-response.js";
import type { Receiver } from "./receiver.js";

/**
 * One delivery as the transport-agnostic core sees it: the three things it needs from any
 * transport, so an adapter is a few lines and needs no Web `Request`.
 *
 * @example
 * ```ts
 * const request: RawRequest = { method: "POST", headers: request.headers, readBody: (max) => readBody(request, max) };
 * ```
 */
export interface RawRequest {
  method: string;
  headers: HeaderReader;
  /**
   * Reads the whole body, refusing more than `maxBytes` with a `PayloadTooLargeError` (and a
   * consumed body with an `InvalidStateError`). Called at most once, after the method and
   * content type were accepted.
   */
  readBody(maxBytes: number): Promise<Uint8Array>;
}

/**
 * The receiver core: answers one delivery, never rejects.
 *
 * @example
 * ```ts
 * const answer = await rawHandler({ method: "POST", headers, readBody });
 * ```
 */
export type RawHandler = (request: RawRequest) => Promise<RawResponse>;

// Module-private, so the core stays out of the public `Receiver` type: only receivers made by
// `createReceiver` are found. A wrapped or foreign receiver (or a second copy of the package)
// is not, and adapters then fall back to its public `handle`.
const rawHandlers = new WeakMap<Receiver, RawHandler>();

/**
 * Records the core of a receiver made by `createReceiver`. Internal.
 *
 * @example
 * ```ts
 * registerRawHandler(receiver, receiveRaw);
 * ```
 */
export function registerRawHandler(receiver: Receiver, handler: RawHandler): void {
  rawHandlers.set(receiver, handler);
}

/**
 * The core of `receiver`, or `undefined` when it was not made by this copy of `createReceiver`.
 * Internal, for the adapters.
 *
 * @example
 * ```ts
 * const raw = rawHandlerOf(receiver);
 * const answer = raw ? await raw(request) : await fromWebResponse(await receiver.handle(webRequest));
 * ```
 */
export function rawHandlerOf(receiver: Receiver): RawHandler | undefined {
  return rawHandlers.get(receiver);
}
