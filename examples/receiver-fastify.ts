/**
 * A feedback webhook receiver in a Fastify 5 app. The plugin is encapsulated: its raw-body parser
 * applies to its own route only.
 *
 *   FEEDBACK_SECRET=$(npx feedback-webhooks keygen) npx tsx examples/receiver-fastify.ts
 *
 * In your project: import { fastifyFeedbackWebhooks } from "feedback-webhooks/adapters/fastify".
 */
import Fastify from "fastify";
import { fastifyFeedbackWebhooks } from "../src/adapters/fastify.js";
import { announce, authFromEnv, createFeedbackReceiver, port } from "./feedback-receiver.js";

const app = Fastify();
await app.register(fastifyFeedbackWebhooks, {
  receiver: createFeedbackReceiver(authFromEnv()),
  prefix: "/webhooks/feedback",
});
app.get("/health", async () => ({ ok: true }));

await app.listen({ port, host: "127.0.0.1" });
announce(app.server.address(), "/webhooks/feedback");
process.once("SIGTERM", () => void app.close());
