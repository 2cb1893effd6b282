import type { FastifyError, FastifyPluginAsync, FastifyReply } from "fastify";
import { PayloadTooLargeError, UnsupportedMediaTypeError } from "../errors.js";
import { errorToRawResponse } from "../receiver/error-to-response.js";
import type { Receiver } from "../receiver/index.js";
import type { RawResponse } from "../receiver/raw-response.js";
import { nodeReceiverOf } from "./node-receiver-of.js";

/**
 * Options of {@link fastifyFeedbackWebhooks} (plus Fastify's own `prefix`).
 *
 * @example
 * ```ts
 * await app.register(fastifyFeedbackWebhooks, { receiver, path: "/webhooks/feedback" });
 * ```
 */
export interface FastifyFeedbackWebhooksOptions {
  receiver: Receiver;
  /** The route, relative to the plugin's prefix. @default "/" */
  path?: string;
}

function send(reply: FastifyReply, answer: RawResponse): FastifyReply {
  reply.code(answer.status).headers(answer.headers);
  // A Buffer, so Fastify sends the content type as given (a string would gain "; charset=utf-8").
  return reply.send(Buffer.from(answer.body ?? ""));
}

const EMPTY = new Uint8Array(0);

/**
 * Fastify 5 plugin that receives deliveries on one route. It is encapsulated: its raw-body parser
 * (`application/json` as a Buffer, limited to the receiver's `maxBodyBytes`) applies to its own
 * route only, so the rest of the app keeps Fastify's JSON parsing.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(fastifyFeedbackWebhooks, { receiver, prefix: "/webhooks/feedback" });
 * ```
 */
export const fastifyFeedbackWebhooks: FastifyPluginAsync<FastifyFeedbackWebhooksOptions> = async (app, options) => {
  const { receiver, path = "/" } = options;
  const receive = nodeReceiverOf(receiver);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "application/json",
    { parseAs: "buffer", bodyLimit: receiver.maxBodyBytes },
    (_request, body, done) => done(null, body),
  );
  // Fastify refuses too large bodies and other content types before the route runs; answer them
  // with the receiver's own problem bodies so every framework answers alike.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return send(reply, errorToRawResponse(new PayloadTooLargeError(receiver.maxBodyBytes)));
    }
    if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return send(reply, errorToRawResponse(new UnsupportedMediaTypeError(request.headers["content-type"] ?? null)));
    }
    throw error;
  });
  app.all(path, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : EMPTY;
    return send(reply, await receive(request.raw, body));
  });
};
