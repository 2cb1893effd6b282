/**
 * A feedback webhook receiver in an Express 5 app. The middleware reads the raw body itself, so
 * mount it before `express.json()` (or on its own route, as here).
 *
 *   FEEDBACK_SECRET=$(npx feedback-webhooks keygen) npx tsx examples/receiver-express.ts
 *
 * In your project: import { toExpressMiddleware } from "feedback-webhooks/adapters/express".
 */
import express from "express";
import { toExpressMiddleware } from "../src/adapters/express.js";
import { announce, authFromEnv, createFeedbackReceiver, port } from "./feedback-receiver.js";

const app = express();
app.post("/webhooks/feedback", toExpressMiddleware(createFeedbackReceiver(authFromEnv())));
// The rest of the application keeps its JSON parsing.
app.use(express.json());
app.get("/health", (_req, res) => {
  res.json({ ok: true });
});

const server = app.listen(port, "127.0.0.1", () => announce(server.address(), "/webhooks/feedback"));
process.once("SIGTERM", () => server.close());
