/**
 * A feedback webhook receiver as a Web-standard `Request → Response` handler: the shape of a
 * Next.js route handler (`app/webhooks/feedback/route.ts`), a Cloudflare Worker, `Bun.serve` or
 * `Deno.serve`. No adapter at all. Run here on Node through @hono/node-server's `serve`:
 *
 *   FEEDBACK_SECRET=$(npx feedback-webhooks keygen) npx tsx examples/receiver-web.ts
 *
 * In your project: import { createReceiver } from "feedback-webhooks/receiver".
 */
import { serve } from "@hono/node-server";
import { announce, authFromEnv, createFeedbackReceiver, port } from "./feedback-receiver.js";

const receiver = createFeedbackReceiver(authFromEnv());

/** Next.js: `export const POST = …` in the route file; Workers/Bun/Deno: `fetch`. */
export async function POST(request: Request): Promise<Response> {
  return receiver.handle(request);
}

async function fetch(request: Request): Promise<Response> {
  if (new URL(request.url).pathname === "/webhooks/feedback") return POST(request);
  return new Response("Not found", { status: 404 });
}

const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info) => announce(info, "/webhooks/feedback"));
process.once("SIGTERM", () => server.close());
