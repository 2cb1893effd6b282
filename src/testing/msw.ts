import { type HttpHandler, http } from "msw";
import { createReceiver, type Receiver, type ReceiverOptions } from "../receiver/index.js";
import type { AnyFeedbackEvent } from "../schemas/unknown-status-event.js";

/**
 * msw handlers that answer feedback deliveries sent with `fetch` to `url` exactly as the receiver
 * would: verified, parsed, handled, with the real status codes.
 *
 * @example
 * ```ts
 * const server = setupServer(...feedbackWebhookHandlers("https://hooks.example.com/feedback", receiver));
 * server.listen();
 * ```
 */
export function feedbackWebhookHandlers(url: string | RegExp, receiver: Receiver): HttpHandler[] {
  return [http.all(url, ({ request }) => receiver.handle(request))];
}

/**
 * One request seen by {@link captureFeedbackRequests}.
 *
 * @example
 * ```ts
 * const [first]: CapturedDelivery[] = capture.deliveries;
 * expect(first?.headers.get("webhook-attempt")).toBe("1");
 * ```
 */
export interface CapturedDelivery {
  method: string;
  headers: Headers;
  /** The raw body as sent. */
  body: string;
  /** What the receiver answered. */
  status: number;
}

/**
 * What {@link captureFeedbackRequests} returns.
 *
 * @example
 * ```ts
 * const capture: FeedbackCapture = captureFeedbackRequests(url, { auth: testKeys.hs256.receiverAuth });
 * afterEach(() => capture.clear());
 * ```
 */
export interface FeedbackCapture {
  /** Pass them to `setupServer(...)` or `server.use(...)`. */
  handlers: HttpHandler[];
  /** Every request, accepted or not, in arrival order. */
  deliveries: CapturedDelivery[];
  /** The events the receiver accepted and handed to its handlers, in order. */
  events: AnyFeedbackEvent[];
  /** Forgets what was captured. */
  clear(): void;
}

/**
 * Captures the feedback deliveries your `fetch`-based code sends to `url`, checked by a real
 * receiver built from `options`, so a test can assert both what was sent and that it verifies.
 *
 * @example
 * ```ts
 * const capture = captureFeedbackRequests("https://hooks.example.com/feedback", { auth: testKeys.hs256.receiverAuth });
 * server.use(...capture.handlers);
 * await notifyClient(event);
 * expect(capture.events).toHaveLength(1);
 * ```
 */
export function captureFeedbackRequests(url: string | RegExp, options: ReceiverOptions): FeedbackCapture {
  const deliveries: CapturedDelivery[] = [];
  const events: AnyFeedbackEvent[] = [];
  const receiver = createReceiver(options).on("*", (event) => {
    events.push(event);
  });
  const handlers = [
    http.all(url, async ({ request }) => {
      const body = await request.clone().text();
      const response = await receiver.handle(request);
      deliveries.push({ method: request.method, headers: new Headers(request.headers), body, status: response.status });
      return response;
    }),
  ];
  return {
    handlers,
    deliveries,
    events,
    clear() {
      deliveries.length = 0;
      events.length = 0;
    },
  };
}
