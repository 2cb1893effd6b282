import { type Clock, systemClock } from "../clock.js";
import { ConfigValidationError, isWebhookError, type Issue } from "../errors.js";
import { type CredentialCheck, createCredentialCheck } from "./create-credential-check.js";
import type { DedupeStore } from "./dedupe-store.js";
import {
  DEFAULT_DELIVERY_TTL_SECONDS,
  DEFAULT_MAX_BODY_BYTES,
  type ReceiverErrorContext,
  type ReceiverOptions,
} from "./receiver-options.js";

/** {@link ReceiverOptions} with defaults applied and the credential check built. */
export interface ResolvedReceiverOptions {
  check: CredentialCheck;
  maxBodyBytes: number;
  unknownStatus: "accept" | "reject";
  dedupe: { store: DedupeStore; deliveryTtlMs: number } | undefined;
  /** How long after its `exp` a token's `jti` is kept: the verifier's clock tolerance. */
  replayMarginMs: number;
  handlerTimeoutMs: number | undefined;
  onError: (error: unknown, context: ReceiverErrorContext) => void;
  clock: Clock;
}

const OPTION_NAMES = new Set([
  "auth",
  "maxBodyBytes",
  "unknownStatus",
  "dedupe",
  "handlerTimeoutMs",
  "onError",
  "clock",
]);
// The JWT verifier's default (VerifyTokenOptions.clockTolerance).
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
// setTimeout fires at once past this.
const MAX_TIMER_MS = 2 ** 31 - 1;

function defaultOnError(error: unknown, context: ReceiverErrorContext): void {
  if (context.phase === "background" || (context.status ?? 500) >= 500) {
    console.error(`feedback-webhooks receiver (${context.phase}, delivery ${context.deliveryId ?? "unknown"}):`, error);
  }
}

const isPositiveInt = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= max;
const isFunction = (v: unknown): boolean => typeof v === "function";

function check(options: ReceiverOptions, issues: Issue[]): void {
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) issues.push({ path: name, message: `unknown option; known: ${[...OPTION_NAMES].join(", ")}` });
  }
  const { auth, maxBodyBytes, unknownStatus, dedupe, handlerTimeoutMs, onError, clock } = options;
  const type = (auth as { type?: unknown } | undefined)?.type;
  if (type !== "jwt" && type !== "standard-webhooks" && type !== "none") {
    issues.push({
      path: "auth",
      message: 'required: choose { type: "jwt", … }, { type: "standard-webhooks", secret } or, explicitly, { type: "none" }',
    });
  }
  if (maxBodyBytes !== undefined && !isPositiveInt(maxBodyBytes, Number.MAX_SAFE_INTEGER)) {
    issues.push({ path: "maxBodyBytes", message: `must be a positive integer (bytes), got ${String(maxBodyBytes)}` });
  }
  if (unknownStatus !== undefined && unknownStatus !== "accept" && unknownStatus !== "reject") {
    issues.push({ path: "unknownStatus", message: 'must be "accept" or "reject"' });
  }
  if (dedupe !== undefined) {
    const store = (dedupe as { store?: Partial<DedupeStore> } | null)?.store;
    if (!isFunction(store?.add) || !isFunction(store?.has)) {
      issues.push({ path: "dedupe.store", message: "must be a DedupeStore ({ add, has }), e.g. createMemoryDedupeStore()" });
    }
    const ttl = dedupe?.deliveryTtlSeconds;
    if (ttl !== undefined && !isPositiveInt(ttl, Number.MAX_SAFE_INTEGER / 1000)) {
      issues.push({ path: "dedupe.deliveryTtlSeconds", message: `must be a positive integer (seconds), got ${String(ttl)}` });
    }
  }
  if (handlerTimeoutMs !== undefined && !isPositiveInt(handlerTimeoutMs, MAX_TIMER_MS)) {
    issues.push({ path: "handlerTimeoutMs", message: `must be an integer from 1 to ${MAX_TIMER_MS} (ms)` });
  }
  if (onError !== undefined && !isFunction(onError)) issues.push({ path: "onError", message: "must be a function" });
  if (clock !== undefined && !isFunction(clock?.now)) issues.push({ path: "clock", message: "must be a Clock ({ now() })" });
}

/**
 * Validates receiver options once, listing every problem, and resolves the defaults.
 *
 * @throws `ConfigValidationError` with one issue per problem (auth issues prefixed `auth.`).
 * @example
 * ```ts
 * const resolved = resolveReceiverOptions({ auth: { type: "none" } });
 * resolved.maxBodyBytes; // 262144
 * ```
 */
export function resolveReceiverOptions(options: ReceiverOptions): Readonly<ResolvedReceiverOptions> {
  const issues: Issue[] = [];
  if (typeof options !== "object" || options === null) {
    issues.push({ path: "", message: "createReceiver needs an options object with at least `auth`" });
    throw new ConfigValidationError(issues, { what: "Invalid receiver options" });
  }
  check(options, issues);
  let credentials: CredentialCheck | undefined;
  if (issues.every((i) => i.path !== "auth")) {
    try {
      credentials = createCredentialCheck(options.auth, options.clock ?? systemClock);
    } catch (error) {
      if (!isWebhookError(error, "ERR_CONFIG_INVALID")) throw error;
      for (const issue of (error as ConfigValidationError).issues) issues.push({ path: issue.path ? `auth.${issue.path}` : "auth", message: issue.message });
    }
  }
  if (issues.length > 0 || credentials === undefined) {
    throw new ConfigValidationError(issues, { what: "Invalid receiver options" });
  }
  const { dedupe } = options;
  return Object.freeze({
    check: credentials,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    unknownStatus: options.unknownStatus ?? "accept",
    dedupe: dedupe && {
      store: dedupe.store,
      deliveryTtlMs: (dedupe.deliveryTtlSeconds ?? DEFAULT_DELIVERY_TTL_SECONDS) * 1000,
    },
    replayMarginMs: (options.auth.type === "jwt" ? (options.auth.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_SECONDS) : 0) * 1000,
    handlerTimeoutMs: options.handlerTimeoutMs,
    onError: options.onError ?? defaultOnError,
    clock: options.clock ?? systemClock,
  });
}
