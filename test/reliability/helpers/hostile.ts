import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { type AuthSigner, createAuthSigner } from "../../../src/auth/create-auth-signer.js";
import { authInputSchema } from "../../../src/config/auth-config-schema.js";
import { normalizeAuth } from "../../../src/config/normalize-auth.js";
import { deliveryHeaders } from "../../../src/dispatcher/delivery-headers.js";
import { isWebhookError } from "../../../src/errors.js";
import { createReceiver, type Receiver, type ReceiverOptions } from "../../../src/receiver/index.js";
import type { AnyFeedbackEvent } from "../../../src/schemas/unknown-status-event.js";
import { createTestEvent, TEST_WEBHOOK_URL, type TestKey } from "../../../src/testing/index.js";

/** Runs per property: `short` in `npm test`, `soak` (ten times as many by default) with `FW_SOAK=1`. */
export const RUNS = (short: number, soak = short * 10) => (process.env.FW_SOAK === "1" ? soak : short);

/** A test's time limit: `short` in `npm test`, 15 minutes with `FW_SOAK=1` (ten times the runs). */
export const TIMEOUT = (short: number) => (process.env.FW_SOAK === "1" ? 900_000 : short);

/** The valid event every hostile input starts from, as the exact bytes a sender posts. */
export const VALID_EVENT = createTestEvent("bounce", { requestId: "hostile-0000000000000000000000000" });
export const VALID_TEXT = JSON.stringify(VALID_EVENT);

/** A receiver under attack, and what reached its handlers and its `onError`. */
export interface Target {
  receiver: Receiver;
  /** Every event a handler was called with. */
  handled: AnyFeedbackEvent[];
  /** Every error reported to `onError`. */
  errors: Array<{ error: unknown; status: number | undefined }>;
}

/**
 * A receiver with one `"*"` handler that records what it gets, and an `onError` that records
 * (instead of logging) every error.
 *
 * @example
 * ```ts
 * const target = hostileTarget({ auth: { type: "none" } });
 * ```
 */
export function hostileTarget(options: Omit<ReceiverOptions, "onError">): Target {
  const handled: AnyFeedbackEvent[] = [];
  const errors: Target["errors"] = [];
  const receiver = createReceiver({
    ...options,
    onError: (error, context) => {
      errors.push({ error, status: context.status });
    },
  }).on("*", (event) => {
    handled.push(event);
  });
  return { receiver, handled, errors };
}

const CODE_FOR_STATUS: Record<number, string[]> = {
  400: ["ERR_PAYLOAD_MALFORMED"],
  401: ["ERR_VERIFICATION_FAILED", "ERR_REPLAYED"],
  413: ["ERR_PAYLOAD_TOO_LARGE"],
  415: ["ERR_UNSUPPORTED_MEDIA_TYPE"],
  422: ["ERR_PAYLOAD_INVALID"],
};

/** How long one request may take before it counts as a hang. */
export const HANG_LIMIT_MS = 5_000;

/**
 * Sends `request` and checks the receiver's promise for hostile input: it answers within
 * {@link HANG_LIMIT_MS}, with one of `allowed` (never a 5xx), and a refusal is an RFC 9457
 * problem with the typed error's code, reported to `onError` as that typed error, with no
 * handler called. Returns the status.
 */
export async function expectRefusedOrHandled(
  target: Target,
  request: Request,
  allowed: readonly number[],
): Promise<number> {
  const handledBefore = target.handled.length;
  const errorsBefore = target.errors.length;
  const started = performance.now();
  const response = await target.receiver.handle(request);
  const elapsed = performance.now() - started;
  expect(elapsed, "answered in time").toBeLessThan(HANG_LIMIT_MS);
  expect(allowed, `status ${response.status}`).toContain(response.status);
  if (response.status >= 200 && response.status < 300) {
    expect(target.handled.length - handledBefore, "handlers ran once").toBe(1);
    await response.body?.cancel();
    return response.status;
  }
  expect(target.handled.length, "no handler for a refused input").toBe(handledBefore);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const text = await response.text();
  expect(text.length, "problem bodies stay small (nothing echoed)").toBeLessThan(64 * 1024);
  const problem = JSON.parse(text) as { status: number; code: string };
  expect(problem.status).toBe(response.status);
  expect(CODE_FOR_STATUS[response.status]).toContain(problem.code);
  const reported = target.errors.slice(errorsBefore);
  expect(reported).toHaveLength(1);
  expect(isWebhookError(reported[0]!.error), "a typed error").toBe(true);
  expect((reported[0]!.error as { code: string }).code).toBe(problem.code);
  expect(reported[0]!.status).toBe(response.status);
  return response.status;
}

/**
 * A POST as a sender would make it: `application/json` unless `headers` say otherwise.
 *
 * @example
 * ```ts
 * const request = post(bytes, { authorization: `Bearer ${token}` });
 * ```
 */
export function post(body: BodyInit | Uint8Array | null, headers: Record<string, string> = {}): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body as BodyInit | null,
  };
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request("https://hooks.example.test/webhooks/feedback", init);
}

/** True when some object anywhere in `value` has a prototype other than a plain object's or array's. */
export function hasForeignPrototype(value: unknown): boolean {
  return someObject(value, (v) => {
    const proto = Object.getPrototypeOf(v);
    return proto !== Object.prototype && proto !== Array.prototype && proto !== null;
  });
}

/**
 * True when some object anywhere in `value` has an own `__proto__` key, which `Object.assign`,
 * `for…in` copies and most deep-merge helpers turn into a prototype.
 */
export function hasProtoKey(value: unknown): boolean {
  return someObject(value, (v) => Object.hasOwn(v, "__proto__"));
}

function someObject(value: unknown, test: (v: object) => boolean): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null) continue;
    if (test(v)) return true;
    for (const child of Object.values(v)) stack.push(child);
  }
  return false;
}

const signers = new Map<TestKey, AuthSigner>();

/**
 * Signs raw bytes (or text) with a test key exactly as the dispatcher signs a delivery, and
 * returns the headers to send them with. Unlike `signTestPayload`, the body may be any bytes.
 *
 * @example
 * ```ts
 * const request = post(bytes, await signBytes(bytes, testKeys.hs256));
 * ```
 */
export async function signBytes(body: string | Uint8Array, key: TestKey): Promise<Record<string, string>> {
  let signer = signers.get(key);
  if (signer === undefined) {
    const { auth } = normalizeAuth(authInputSchema.parse(key.senderAuth), new Date());
    signer = createAuthSigner({ auth, url: TEST_WEBHOOK_URL, orgId: VALID_EVENT.imsOrg, sandbox: VALID_EVENT.sandbox });
    signers.set(key, signer);
  }
  const deliveryId = randomUUID();
  const timestamp = Math.floor(Date.now() / 1000);
  const auth = await signer.sign({ body, deliveryId, timestamp, requestId: VALID_EVENT.requestId });
  return deliveryHeaders({ custom: {}, deliveryId, timestamp, attempt: 1, auth });
}
