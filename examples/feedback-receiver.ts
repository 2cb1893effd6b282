/**
 * The receiving side of an application: which feedback events it handles and how. The framework
 * examples (receiver-*.ts) mount it; examples/receiver.test.ts tests it with the test kit.
 *
 * In your project: import { createReceiver, … } from "feedback-webhooks/receiver".
 */
import type { AddressInfo } from "node:net";
import { createMemoryDedupeStore, createReceiver, type Receiver, type ReceiverAuth } from "../src/receiver/index.js";

/** What the handlers do to the rest of the application. */
export interface FeedbackApp {
  /** Stop sending to an address that hard-bounced. */
  suppress(address: string): void;
  log(line: string): void;
}

/** The default app: a suppression list in memory and console output. */
export const consoleApp: FeedbackApp & { suppressed: Set<string> } = {
  suppressed: new Set(),
  suppress(address) {
    this.suppressed.add(address);
  },
  log: (line) => console.log(line),
};

/**
 * The application's receiver: verifies each delivery, suppresses hard-bounced recipients, logs
 * every event, and (with the dedupe store) processes a retried delivery only once.
 *
 * @example
 * ```ts
 * const receiver = createFeedbackReceiver(authFromEnv());
 * export const POST = (request: Request) => receiver.handle(request);
 * ```
 */
export function createFeedbackReceiver(auth: ReceiverAuth, app: FeedbackApp = consoleApp): Receiver {
  return createReceiver({ auth, dedupe: { store: createMemoryDedupeStore() } })
    .on("bounce", (event) => {
      const failure = event.messageDeliveryFeedback.messageFailure;
      if (failure.type !== "Hard") return;
      for (const identity of Object.values(event.identityMap).flat()) app.suppress(identity.id);
    })
    .on("*", (event, { deliveryId, attempt }) => {
      const { value } = event.messageDeliveryFeedback.feedbackStatus;
      app.log(`${value} ${event.channel} request ${event.requestId} (delivery ${deliveryId}, attempt ${attempt})`);
    });
}

/**
 * The receiver's `auth` from the environment: `FEEDBACK_SECRET` (the HS256 secret, as
 * `npx feedback-webhooks keygen` prints it) and optionally `FEEDBACK_ISSUER`.
 *
 * @example
 * ```ts
 * const auth = authFromEnv(); // { type: "jwt", secret: { secret, secretEncoding: "base64url" } }
 * ```
 */
export function authFromEnv(): ReceiverAuth {
  const secret = process.env.FEEDBACK_SECRET;
  if (secret === undefined || secret === "") {
    console.error("Set FEEDBACK_SECRET to the webhook's secret, e.g. FEEDBACK_SECRET=$(npx feedback-webhooks keygen)");
    process.exit(1);
  }
  return { type: "jwt", secret: { secret, secretEncoding: "base64url" }, issuer: process.env.FEEDBACK_ISSUER };
}

/** The port to listen on: `PORT`, or 3000. `PORT=0` picks a free one. */
export const port = Number(process.env.PORT ?? 3000);

/**
 * Prints where deliveries are received, from the port actually bound.
 *
 * @example
 * ```ts
 * server.listen(port, "127.0.0.1", () => announce(server.address(), "/webhooks/feedback"));
 * ```
 */
export function announce(address: AddressInfo | string | null, path: string): void {
  const bound = typeof address === "object" && address !== null ? address.port : port;
  console.log(`Receiving feedback webhooks on http://127.0.0.1:${bound}${path}`);
}
