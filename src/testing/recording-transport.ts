import { TransportError } from "../errors.js";
import type { Transport, TransportRequest, TransportResponse } from "../transport/transport.js";

/** A scripted answer: a response (fields default to 200, no headers, empty body) or a transport failure. */
export type ScriptedAnswer = Partial<TransportResponse> | TransportError;

/** What {@link createRecordingTransport} returns: a transport plus what it saw. */
export interface RecordingTransport extends Transport {
  /** Every request, in order, with its exact headers and body. */
  readonly requests: TransportRequest[];
  /** Queues answers for the next requests (first in, first out). */
  enqueue(...answers: ScriptedAnswer[]): void;
}

/**
 * A transport for tests that never touches the network: records each request and answers from
 * a queue of scripted answers, then with `fallback` (default `{ status: 200 }`).
 *
 * @example
 * ```ts
 * const transport = createRecordingTransport();
 * transport.enqueue({ status: 500 }, { status: 429, headers: { "retry-after": "30" } });
 * const dispatcher = createDispatcher({ storage, transport });
 * // … transport.requests[0].headers["webhook-id"]
 * ```
 */
export function createRecordingTransport(
  fallback: ScriptedAnswer | ((request: TransportRequest) => ScriptedAnswer | Promise<ScriptedAnswer>) = {
    status: 200,
  },
): RecordingTransport {
  const requests: TransportRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  return {
    requests,
    enqueue: (...answers) => queue.push(...answers),
    async send(request) {
      requests.push({ ...request, headers: { ...request.headers } });
      if (request.signal?.aborted) throw new TransportError("aborted", "Request was aborted.");
      const answer = queue.shift() ?? (typeof fallback === "function" ? await fallback(request) : fallback);
      if (answer instanceof TransportError) throw answer;
      return { status: answer.status ?? 200, headers: answer.headers ?? {}, body: answer.body ?? "" };
    },
  };
}
