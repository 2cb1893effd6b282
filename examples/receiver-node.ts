/**
 * A feedback webhook receiver on Node's own `http` module.
 *
 *   FEEDBACK_SECRET=$(npx feedback-webhooks keygen) npx tsx examples/receiver-node.ts
 *
 * In your project: import { toNodeHandler } from "feedback-webhooks/adapters/node".
 */
import { createServer } from "node:http";
import { toNodeHandler } from "../src/adapters/node.js";
import { announce, authFromEnv, createFeedbackReceiver, port } from "./feedback-receiver.js";

const handle = toNodeHandler(createFeedbackReceiver(authFromEnv()));

const server = createServer((req, res) => {
  if (req.url === "/webhooks/feedback") return void handle(req, res);
  res.writeHead(404).end();
});
server.listen(port, "127.0.0.1", () => announce(server.address(), "/webhooks/feedback"));
process.once("SIGTERM", () => server.close());
