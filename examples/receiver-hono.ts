/**
 * A feedback webhook receiver in a Hono 4 app, served on Node by @hono/node-server (the same app
 * runs on Bun, Deno and Cloudflare Workers).
 *
 *   FEEDBACK_SECRET=$(npx feedback-webhooks keygen) npx tsx examples/receiver-hono.ts
 *
 * In your project: import { toHonoHandler } from "feedback-webhooks/adapters/hono".
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { toHonoHandler } from "../src/adapters/hono.js";
import { announce, authFromEnv, createFeedbackReceiver, port } from "./feedback-receiver.js";

const app = new Hono();
app.post("/webhooks/feedback", toHonoHandler(createFeedbackReceiver(authFromEnv())));
app.get("/health", (c) => c.json({ ok: true }));

const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info) => announce(info, "/webhooks/feedback"));
process.once("SIGTERM", () => server.close());
