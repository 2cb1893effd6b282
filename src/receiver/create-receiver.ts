import { PayloadTooLargeError, ReplayError } from "../errors.js";
import { parseFeedbackEvent } from "../schemas/parse-feedback-event.js";
import type { AnyFeedbackEvent } from "../schemas/unknown-status-event.js";
import { errorToRawResponse, methodNotAllowedRawResponse } from "./error-to-response.js";
import { createHandlerRegistry } from "./handler-registry.js";
import type { HeaderReader } from "./header-reader.js";
import { type RawRequest, registerRawHandler } from "./raw-receiver.js";
import { type RawResponse, toWebResponse } from "./raw-response.js";
import { readBody } from "./read-body.js";
import type { FeedbackHandler, HandlerContext, Receiver, VerifyInput } from "./receiver.js";
import type { ReceiverErrorContext, ReceiverOptions } from "./receiver-options.js";
import { resolveReceiverOptions } from "./resolve-receiver-options.js";
import { settlesWithin } from "./settles-within.js";
import { assertJsonContentType, headerReaderOf } from "./to-headers.js";

const encoder = new TextEncoder();

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A fresh object each time: adapters own the answer they get. */
function answer(status: 200 | 202): RawResponse {
  return { status, headers: {}, body: null };
}

function positiveInt(value: string | null): number | undefined {
  const n = Number(value);
  return value !== null && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/**
 * Creates the receiving side of feedback webhooks: `verify` for any framework, typed `on`
 * handlers, and `handle(Request) → Response` that answers the right status. Options are validated
 * once (every problem listed in one `ConfigValidationError`) and frozen.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({
 *   auth: { type: "jwt", secret: process.env.FEEDBACK_SECRET!, issuer: "https://platform.example.com" },
 *   dedupe: { store: createMemoryDedupeStore() },
 * }).on("bounce", async (event) => {
 *   await suppressions.add(event.identityMap.email?.[0]?.id, event.messageDeliveryFeedback.messageFailure.reason);
 * });
 * ```
 */
export function createReceiver(options: ReceiverOptions): Receiver {
  const o = resolveReceiverOptions(options);
  const handlers = createHandlerRegistry();

  function report(error: unknown, context: ReceiverErrorContext): void {
    try {
      o.onError(error, context);
    } catch {
      // onError must not throw; if it does, answering the sender still matters more.
    }
  }

  async function verifyBytes(headers: HeaderReader, body: Uint8Array) {
    const claims = await o.check(headers, body);
    if (o.dedupe && claims?.jti !== undefined) {
      // Keep the jti as long as the verifier could still accept the token.
      const fresh = await o.dedupe.store.add(`jti:${claims.jti}`, claims.exp * 1000 + o.replayMarginMs);
      if (!fresh) throw new ReplayError("This token was already used: its jti was seen before.");
    }
    return { event: parseFeedbackEvent(body, { unknownStatus: o.unknownStatus }), claims };
  }

  async function receive(request: RawRequest, deliveryId: string | undefined): Promise<RawResponse> {
    if (request.method !== "POST") return methodNotAllowedRawResponse(request.method);
    assertJsonContentType(request.headers.get("content-type"));
    const body = await request.readBody(o.maxBodyBytes);
    const { event, claims } = await verifyBytes(request.headers, body);
    const { dedupe } = o;
    // The body is part of the key, so a forged webhook-id cannot suppress a different event.
    const deliveryKey =
      dedupe && deliveryId !== undefined ? `delivery:${deliveryId}:${await sha256Hex(body)}` : undefined;
    if (dedupe && deliveryKey !== undefined && (await dedupe.store.has(deliveryKey))) return answer(200);
    const context: HandlerContext = {
      deliveryId,
      attempt: positiveInt(request.headers.get("webhook-attempt")),
      claims,
    };
    const done = handlers.run(event, context).then(async () => {
      if (!dedupe || deliveryKey === undefined) return;
      // Recorded only after the handlers succeeded, so the retry after a 500 runs them again.
      await dedupe.store
        .add(deliveryKey, o.clock.now() + dedupe.deliveryTtlMs)
        .catch((error: unknown) => report(error, { phase: "background", status: undefined, deliveryId }));
    });
    if (o.handlerTimeoutMs === undefined || (await settlesWithin(done, o.handlerTimeoutMs))) {
      await done;
      return answer(200);
    }
    done.catch((error: unknown) => report(error, { phase: "background", status: undefined, deliveryId }));
    return answer(202);
  }

  async function receiveRaw(request: RawRequest): Promise<RawResponse> {
    const deliveryId = request.headers.get("webhook-id") ?? undefined;
    try {
      return await receive(request, deliveryId);
    } catch (error) {
      const response = errorToRawResponse(error, o.check.scheme);
      report(error, { phase: "request", status: response.status, deliveryId });
      return response;
    }
  }

  function on(status: string | readonly string[], handler: FeedbackHandler): Receiver {
    handlers.add(status, handler);
    return receiver;
  }

  const receiver: Receiver = {
    maxBodyBytes: o.maxBodyBytes,
    ready: () => o.check.ready(),
    async verify({ headers, body }: VerifyInput): Promise<AnyFeedbackEvent> {
      const h = headerReaderOf(headers);
      assertJsonContentType(h.get("content-type"));
      const bytes = typeof body === "string" ? encoder.encode(body) : body;
      if (bytes.byteLength > o.maxBodyBytes) throw new PayloadTooLargeError(o.maxBodyBytes);
      return (await verifyBytes(h, bytes)).event;
    },
    on: on as Receiver["on"],
    async handle(request: Request): Promise<Response> {
      const { method, headers } = request;
      return toWebResponse(await receiveRaw({ method, headers, readBody: (maxBytes) => readBody(request, maxBytes) }));
    },
  };
  registerRawHandler(receiver, receiveRaw);
  return Object.freeze(receiver);
}
