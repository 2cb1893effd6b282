import { vi } from "vitest";
import { createMemoryDedupeStore, createReceiver } from "../../src/receiver/index.js";
import type { TestKey } from "../../src/testing/index.js";

// The receiver of the README examples, as an app module (a Next.js route file, a Worker).
// Its `readme:<name>` regions are checked by readme-examples.test.ts like the test's own.

export const HOOK_URL = "https://hooks.example.com/webhooks/feedback";
process.env.FEEDBACK_SECRET ??= "readme-example-secret-0123456789abcdef";
export const crm = { markBounced: vi.fn(async (_requestId: string, _code: string, _reason: string) => {}) };
export const log = { info: vi.fn(), error: vi.fn() };

// #region readme:receiver
export const receiver = createReceiver({
  auth: {
    type: "jwt",
    secret: process.env.FEEDBACK_SECRET!,
    issuer: "https://platform.example.com",
    audience: "https://hooks.example.com/webhooks/feedback",
  },
  dedupe: { store: createMemoryDedupeStore() }, // one instance; see "Replays and retries"
})
  .on("bounce", async (event) => {
    const { code, reason } = event.messageDeliveryFeedback.messageFailure; // typed: a bounce has one
    await crm.markBounced(event.requestId, code, reason);
  })
  .on("*", (event, { deliveryId }) => log.info({ deliveryId, channel: event.channel }, "feedback"));
// #endregion

/** The platform's side of `readme:receiver`: the same secret, issuer and audience. */
export const platform: TestKey = {
  senderAuth: {
    type: "jwt",
    algorithm: "HS256",
    issuer: "https://platform.example.com",
    audience: HOOK_URL,
    keys: [{ kid: "k1", secret: process.env.FEEDBACK_SECRET }],
  },
  receiverAuth: {
    type: "jwt",
    secret: process.env.FEEDBACK_SECRET,
    issuer: "https://platform.example.com",
    audience: HOOK_URL,
  },
};

// #region readme:web
// Next.js route handler (app/webhooks/feedback/route.ts)
export const POST = (request: Request) => receiver.handle(request);
// Bun, Deno (`deno serve`), Cloudflare Workers
export default { fetch: (request: Request) => receiver.handle(request) };
// #endregion
