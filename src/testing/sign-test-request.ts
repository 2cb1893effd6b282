import { type AuthSigner, createAuthSigner } from "../auth/create-auth-signer.js";
import { authInputSchema } from "../config/auth-config-schema.js";
import { normalizeAuth } from "../config/normalize-auth.js";
import { deliveryHeaders } from "../dispatcher/delivery-headers.js";
import { ConfigValidationError } from "../errors.js";
import { toIssues } from "../schemas/to-issues.js";
import { TEST_WEBHOOK_URL, type TestKey } from "./test-keys.js";

/**
 * Options of {@link signTestRequest} and {@link signTestPayload}.
 *
 * @example
 * ```ts
 * const options: SignTestRequestOptions = { key: testKeys.es256, deliveryId: "d-1", attempt: 2 };
 * ```
 */
export interface SignTestRequestOptions {
  /** The credential to sign with, e.g. `testKeys.hs256`. */
  key: TestKey;
  /** @default TEST_WEBHOOK_URL */
  url?: string;
  /** The `webhook-id` header. @default a fresh UUID */
  deliveryId?: string;
  /** The `webhook-timestamp` header and the token's `iat`, in Unix seconds. @default now */
  timestamp?: number;
  /** The `webhook-attempt` header. @default 1 */
  attempt?: number;
  /**
   * A configuration's custom headers. As in the dispatcher they never replace the SDK's headers;
   * to tamper with those, change the returned {@link SignedTestPayload}'s `headers`.
   */
  headers?: Record<string, string>;
}

/**
 * A signed delivery as plain data, for Node tests (supertest, `receiver.verify`, `fetch`).
 *
 * @example
 * ```ts
 * const { url, method, headers, body }: SignedTestPayload = await signTestPayload(event, { key });
 * await fetch(url, { method, headers, body });
 * ```
 */
export interface SignedTestPayload {
  method: "POST";
  url: string;
  headers: Record<string, string>;
  /** The exact body that was signed. */
  body: string;
}

// One signer per key and `sub` (org + sandbox), so keys are imported once, as in the dispatcher.
const signers = new WeakMap<TestKey, Map<string, AuthSigner>>();

function signerFor(key: TestKey, orgId: string, sandbox: { id: string; name: string }): AuthSigner {
  const byOrg = signers.get(key) ?? new Map<string, AuthSigner>();
  signers.set(key, byOrg);
  const sub = `${orgId}/${sandbox.name}`;
  let signer = byOrg.get(sub);
  if (signer === undefined) {
    const parsed = authInputSchema.safeParse(key.senderAuth);
    if (!parsed.success) throw new ConfigValidationError(toIssues(parsed.error, ["senderAuth"]), { what: "Invalid test key" });
    const { auth, issues } = normalizeAuth(parsed.data, new Date());
    if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid test key" });
    // The URL only feeds a default `aud`; test keys set their own audience.
    signer = createAuthSigner({ auth, url: TEST_WEBHOOK_URL, orgId, sandbox });
    byOrg.set(sub, signer);
  }
  return signer;
}

/**
 * Signs `event` exactly as the dispatcher signs a delivery (the same auth signer and the same
 * `content-type`, `user-agent`, `webhook-id`, `webhook-timestamp` and `webhook-attempt` headers)
 * and returns it as plain data. A string `event` is sent verbatim, e.g. to test a malformed body
 * with a valid signature.
 *
 * @example
 * ```ts
 * const { headers, body } = await signTestPayload(createTestEvent("bounce"), { key: testKeys.hs256 });
 * await request(app).post("/webhooks/feedback").set(headers).send(body).expect(200);
 * ```
 */
export async function signTestPayload(event: object | string, options: SignTestRequestOptions): Promise<SignedTestPayload> {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  const fields = (typeof event === "string" ? {} : event) as { requestId?: unknown; imsOrg?: unknown; sandbox?: unknown };
  const requestId = typeof fields.requestId === "string" ? fields.requestId : "test-request";
  const orgId = typeof fields.imsOrg === "string" ? fields.imsOrg : "TEST@AdobeOrg";
  const sandbox = (fields.sandbox as { id: string; name: string } | undefined) ?? { id: "test", name: "prod" };
  const deliveryId = options.deliveryId ?? crypto.randomUUID();
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const auth = await signerFor(options.key, orgId, sandbox).sign({ body, deliveryId, timestamp, requestId });
  const attempt = options.attempt ?? 1;
  const headers = deliveryHeaders({ custom: options.headers ?? {}, deliveryId, timestamp, attempt, auth });
  return { method: "POST", url: options.url ?? TEST_WEBHOOK_URL, headers, body };
}

/**
 * Signs `event` like the dispatcher does and returns a Web `Request`, ready for
 * `receiver.handle(request)`, `app.request(request)` (Hono) or `fetch(request)`.
 *
 * @example
 * ```ts
 * const response = await receiver.handle(await signTestRequest(createTestEvent("sent"), { key: testKeys.hs256 }));
 * expect(response.status).toBe(200);
 * ```
 */
export async function signTestRequest(event: object | string, options: SignTestRequestOptions): Promise<Request> {
  const { url, ...init } = await signTestPayload(event, options);
  return new Request(url, init);
}
