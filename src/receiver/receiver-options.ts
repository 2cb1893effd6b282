import type { StandardWebhookVerifyOptions } from "../auth/verify-standard-webhook.js";
import type { VerifyTokenOptions } from "../auth/verify-token-options.js";
import type { Clock } from "../clock.js";
import type { DedupeStore } from "./dedupe-store.js";

/**
 * How the receiver checks that a delivery comes from the sender. Choose `none` explicitly;
 * there is no default.
 * - `jwt`: `Authorization: Bearer <jwt>`, verified with the auth options (keys, issuer, audience, …).
 * - `standard-webhooks`: `webhook-signature` HMAC over `id.timestamp.body` with `whsec_` secrets.
 * - `none`: anyone who can reach the URL can post events.
 *
 * @example
 * ```ts
 * const auth: ReceiverAuth = { type: "jwt", publicKey: process.env.FEEDBACK_PUBLIC_KEY!, audience: myUrl };
 * ```
 */
export type ReceiverAuth =
  | ({ type: "jwt" } & VerifyTokenOptions)
  | ({ type: "standard-webhooks" } & StandardWebhookVerifyOptions)
  | { type: "none" };

/**
 * Where an error reported to `onError` happened.
 *
 * @example
 * ```ts
 * onError: (error, { phase, status }) => { if (phase === "background" || status === 500) alert(error) }
 * ```
 */
export interface ReceiverErrorContext {
  /**
   * `request`: the error decided the answer (`status`). `background`: the answer was already
   * sent — a handler failed after a 202, or recording a processed delivery failed.
   */
  phase: "request" | "background";
  /** The status answered because of this error (`request` phase only). */
  status: number | undefined;
  /** The `webhook-id` header, when present. */
  deliveryId: string | undefined;
}

/**
 * Replay protection and retry deduplication.
 *
 * @example
 * ```ts
 * const dedupe: ReceiverDedupeOptions = { store: createMemoryDedupeStore(), deliveryTtlSeconds: 86_400 };
 * ```
 */
export interface ReceiverDedupeOptions {
  /** Where used token ids and processed deliveries are recorded, e.g. `createMemoryDedupeStore()`. */
  store: DedupeStore;
  /**
   * How long a processed delivery is remembered. Longer than the sender's retry window.
   * @default 259200 (3 days)
   */
  deliveryTtlSeconds?: number;
}

/**
 * Options of `createReceiver`. Validated once (every problem listed) and frozen.
 *
 * @example
 * ```ts
 * const options: ReceiverOptions = { auth: { type: "none" }, maxBodyBytes: 64 * 1024, unknownStatus: "reject" };
 * ```
 */
export interface ReceiverOptions {
  /** How deliveries are authenticated; required, `{ type: "none" }` must be chosen explicitly. */
  auth: ReceiverAuth;
  /**
   * Larger bodies are refused with 413, read with this limit (never buffered whole).
   * @default 262144 (256 KiB)
   */
  maxBodyBytes?: number;
  /**
   * What to do with a `feedbackStatus.value` this version does not know: `accept` hands it to
   * `"*"` handlers as an unknown-status event; `reject` answers 422.
   * @default "accept"
   */
  unknownStatus?: "accept" | "reject";
  /** Refuse replayed tokens and process each delivery once. @default off */
  dedupe?: ReceiverDedupeOptions;
  /**
   * When set, answer 202 if the handlers take longer than this. The event is then
   * acknowledged even if a handler fails later (that failure goes to `onError` only).
   * @default off: the answer waits for the handlers
   */
  handlerTimeoutMs?: number;
  /**
   * Called with every error: those that decided a non-2xx answer (`phase: "request"`, filter on
   * `status`) and those that happen after the answer (`phase: "background"`). Must not throw.
   * @default logs 5xx and background errors with `console.error`
   */
  onError?: (error: unknown, context: ReceiverErrorContext) => void;
  /**
   * Where time comes from: token and signature age checks (unless `auth.now` is set) and dedupe
   * expiry. Pass a manual clock in tests.
   * @default systemClock
   */
  clock?: Clock;
}

/**
 * The default body limit: 256 KiB.
 *
 * @example
 * ```ts
 * createReceiver({ auth, maxBodyBytes: 4 * DEFAULT_MAX_BODY_BYTES });
 * ```
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/**
 * The default time a processed delivery is remembered: 3 days.
 *
 * @example
 * ```ts
 * createReceiver({ auth, dedupe: { store, deliveryTtlSeconds: 2 * DEFAULT_DELIVERY_TTL_SECONDS } });
 * ```
 */
export const DEFAULT_DELIVERY_TTL_SECONDS = 3 * 24 * 60 * 60;
