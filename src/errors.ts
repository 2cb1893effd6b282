/**
 * Every error this library throws is a {@link WebhookError} with a stable `code`.
 * Guards compare `name`/`code` (not only `instanceof`) so they work across realms
 * and across duplicated copies of the package.
 */

/** A problem with one input field: where it is, what is wrong, and how to fix it. */
export interface Issue {
  /** JSON path of the field, e.g. `messageDeliveryFeedback.retryCount`; `""` for the root. */
  path: string;
  /** What is wrong and, where it helps, how to fix it. Never contains a secret. */
  message: string;
}

/** The stable error codes. */
export const ErrorCode = {
  ConfigValidation: "ERR_CONFIG_INVALID",
  ConfigConflict: "ERR_CONFIG_CONFLICT",
  ConfigNotFound: "ERR_CONFIG_NOT_FOUND",
  VersionConflict: "ERR_VERSION_CONFLICT",
  PayloadValidation: "ERR_PAYLOAD_INVALID",
  PayloadParse: "ERR_PAYLOAD_MALFORMED",
  PayloadTooLarge: "ERR_PAYLOAD_TOO_LARGE",
  UnsupportedMediaType: "ERR_UNSUPPORTED_MEDIA_TYPE",
  Verification: "ERR_VERIFICATION_FAILED",
  Replay: "ERR_REPLAYED",
  DeliveryNotFound: "ERR_DELIVERY_NOT_FOUND",
  Storage: "ERR_STORAGE",
  Transport: "ERR_TRANSPORT",
  InvalidState: "ERR_INVALID_STATE",
} as const;

/** Union of every {@link ErrorCode} value. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const BRAND = Symbol.for("feedback-webhooks.error");

/**
 * Base class of every error of this library.
 *
 * @example
 * ```ts
 * try { registry.create(input) } catch (e) {
 *   if (isWebhookError(e, "ERR_CONFIG_CONFLICT")) console.log(e.message)
 * }
 * ```
 */
export class WebhookError extends Error {
  /** Stable machine-readable code, e.g. `ERR_CONFIG_INVALID`. */
  readonly code: ErrorCode;
  readonly [BRAND] = true;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

function formatIssues(what: string, issues: readonly Issue[]): string {
  const lines = issues.map((i) => `  - ${i.path === "" ? "(root)" : i.path}: ${i.message}`);
  return `${what} (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

/** A webhook configuration (or a patch, or an option block) is invalid. Lists every problem. */
export class ConfigValidationError extends WebhookError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], options?: { cause?: unknown; what?: string }) {
    super(
      ErrorCode.ConfigValidation,
      formatIssues(options?.what ?? "Invalid webhook configuration", issues),
      options,
    );
    this.issues = issues;
  }
}

/** A configuration already exists for this organization + sandbox. */
export class ConfigConflictError extends WebhookError {
  constructor(
    readonly orgId: string,
    readonly sandboxName: string,
    readonly existingId: string,
  ) {
    super(
      ErrorCode.ConfigConflict,
      `A webhook configuration already exists for org "${orgId}" sandbox "${sandboxName}" (id ${existingId}); update it instead of creating another.`,
    );
  }
}

/** No configuration has this id (or org + sandbox). */
export class ConfigNotFoundError extends WebhookError {
  constructor(readonly lookup: string) {
    super(ErrorCode.ConfigNotFound, `No webhook configuration found for ${lookup}.`);
  }
}

/** An update was based on a stale version; nothing was written. */
export class VersionConflictError extends WebhookError {
  constructor(
    readonly id: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(
      ErrorCode.VersionConflict,
      actualVersion === undefined
        ? `Webhook configuration ${id} no longer exists; nothing was written.`
        : `Webhook configuration ${id} is at version ${actualVersion}, not ${expectedVersion}; reload it and apply the change again. Nothing was written.`,
    );
  }
}

/** A feedback event does not match the payload schema. Lists every problem. */
export class PayloadValidationError extends WebhookError {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], options?: { cause?: unknown }) {
    super(ErrorCode.PayloadValidation, formatIssues("Invalid feedback event", issues), options);
    this.issues = issues;
  }
}

/** The body is not valid JSON (or not UTF-8). */
export class PayloadParseError extends WebhookError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.PayloadParse, message, options);
  }
}

/** The body is larger than the configured limit. */
export class PayloadTooLargeError extends WebhookError {
  constructor(readonly limitBytes: number) {
    super(ErrorCode.PayloadTooLarge, `Request body exceeds the limit of ${limitBytes} bytes.`);
  }
}

/** The request's content type is not JSON. */
export class UnsupportedMediaTypeError extends WebhookError {
  constructor(readonly contentType: string | null) {
    super(
      ErrorCode.UnsupportedMediaType,
      `Expected content-type application/json, got ${contentType === null ? "none" : JSON.stringify(contentType.slice(0, 100))}.`,
    );
  }
}

/** Why a token or signature was refused. */
export type VerificationFailureReason =
  | "missing"
  | "malformed"
  | "algorithm"
  | "signature"
  | "expired"
  | "not_yet_valid"
  | "claim"
  | "body_mismatch"
  | "key_not_found";

/** A token or signature did not verify. The message never contains the token, key or secret. */
export class VerificationError extends WebhookError {
  constructor(
    readonly reason: VerificationFailureReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.Verification, message, options);
  }
}

/** A token or delivery was already processed (replay protection). */
export class ReplayError extends WebhookError {
  constructor(message: string) {
    super(ErrorCode.Replay, message);
  }
}

/** No delivery has this id. */
export class DeliveryNotFoundError extends WebhookError {
  constructor(readonly id: string) {
    super(ErrorCode.DeliveryNotFound, `No delivery found with id ${id}.`);
  }
}

/** The storage failed (database gone, disk full, …). Nothing was acknowledged. */
export class StorageError extends WebhookError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.Storage, message, options);
  }
}

/** The HTTP transport failed before an answer arrived (network error, timeout, refused address). */
export class TransportError extends WebhookError {
  constructor(
    readonly kind: "network" | "timeout" | "refused_address" | "aborted",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.Transport, message, options);
  }
}

/** An operation was called in a state that does not allow it (e.g. `start()` after `stop()`). */
export class InvalidStateError extends WebhookError {
  constructor(message: string) {
    super(ErrorCode.InvalidState, message);
  }
}

/**
 * True when `value` is an error of this library (optionally with the given code),
 * also across realms and duplicated package copies.
 */
export function isWebhookError<C extends ErrorCode>(
  value: unknown,
  code?: C,
): value is WebhookError & { code: C } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { code?: unknown; [BRAND]?: unknown };
  if (v[BRAND] !== true && !(value instanceof WebhookError)) return false;
  return code === undefined || v.code === code;
}
