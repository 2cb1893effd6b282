import { z } from "zod";

/**
 * When the failure was detected: `sync` (while sending) or `async` (reported later, e.g. a bounce mail).
 *
 * @example
 * ```ts
 * FAILURE_CATEGORIES.includes("async") // true
 * ```
 */
export const FAILURE_CATEGORIES = ["sync", "async"] as const;

/**
 * The failure's kind. Open: the documented values are below, but the documented example itself
 * types code 25 as `Ignored`, so any string is accepted.
 *
 * @example
 * ```ts
 * const type: FailureType = "Hard"
 * ```
 */
export type FailureType = "Ignored" | "Hard" | "Soft" | "Admin" | (string & {});

/**
 * Why a message bounced, failed or was delayed (`messageDeliveryFeedback.messageFailure`).
 *
 * @example
 * ```ts
 * const failure: MessageFailure = { category: "sync", type: "Ignored", code: "25", reason: "Admin Failure" }
 * describeFailure(failure.code)?.label // "Admin Failure"
 * ```
 */
export interface MessageFailure {
  category: (typeof FAILURE_CATEGORIES)[number];
  type: FailureType;
  /** A string of digits, e.g. `"25"`; see {@link EMAIL_FAILURE_CODES} for email. */
  code: string;
  /** A human-readable label, e.g. `"Admin Failure"`. */
  reason: string;
}

const DIGITS = 'must be a string of digits, e.g. "25"';

/**
 * A failure code: digits only, as a string (a number would lose leading zeros and break the contract).
 *
 * @example
 * ```ts
 * failureCodeSchema.parse("25") // "25"; 25 or "2a" are refused
 * ```
 */
export const failureCodeSchema = z.string({ error: DIGITS }).regex(/^\d+$/, DIGITS);

/**
 * The fields of a `messageFailure` as a receiver checks them.
 *
 * @example
 * ```ts
 * z.looseObject(messageFailureShape, { error: "is required" })
 * ```
 */
export const messageFailureShape = {
  category: z.enum(FAILURE_CATEGORIES),
  type: z.string(),
  code: failureCodeSchema,
  reason: z.string(),
};

/**
 * A received `messageFailure` object; extra fields are kept.
 *
 * @example
 * ```ts
 * messageFailureSchema.parse({ category: "sync", type: "Ignored", code: "25", reason: "Admin Failure" })
 * ```
 */
export const messageFailureSchema = z.looseObject(messageFailureShape);
