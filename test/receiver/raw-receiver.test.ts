import { describe, expect, it } from "vitest";
import { nodeHeaders } from "../../src/adapters/node-headers.js";
import {
  InvalidStateError,
  PayloadParseError,
  PayloadTooLargeError,
  PayloadValidationError,
  ReplayError,
  UnsupportedMediaTypeError,
  VerificationError,
} from "../../src/errors.js";
import { errorToRawResponse, errorToResponse } from "../../src/receiver/error-to-response.js";
import { createMemoryDedupeStore, createReceiver, type Receiver, type ReceiverOptions } from "../../src/receiver/index.js";
import { rawHandlerOf } from "../../src/receiver/raw-receiver.js";
import type { RawResponse } from "../../src/receiver/raw-response.js";
import type { SignedTestPayload } from "../../src/testing/index.js";
import { testKeys } from "../../src/testing/index.js";
import { fixtureText, fixtureWith } from "../fixtures/index.js";
import { toRequest, validPayload, withHeaders } from "./valid-delivery.js";

const MAX_BODY_BYTES = 4096;

async function asRaw(response: Response): Promise<RawResponse> {
  const body = response.body === null ? null : await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body };
}

/** The raw core as the Node adapters call it: lower-case header record, body bytes, no Web objects. */
function rawCall(receiver: Receiver, payload: SignedTestPayload, method: string = payload.method): Promise<RawResponse> {
  const raw = rawHandlerOf(receiver);
  if (raw === undefined) throw new Error("no raw handler");
  const headers = Object.fromEntries(Object.entries(payload.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const bytes = new TextEncoder().encode(payload.body);
  return raw({
    method,
    headers: nodeHeaders(headers),
    readBody: async (max) => {
      if (bytes.byteLength > max) throw new PayloadTooLargeError(max);
      return bytes;
    },
  });
}

interface Case {
  name: string;
  options?: Partial<ReceiverOptions>;
  /** Deliveries sent before the compared one (dedupe). */
  before?: number;
  payload: () => Promise<SignedTestPayload>;
  method?: string;
  status: number;
}

const CASES: Case[] = [
  { name: "valid", payload: () => validPayload(), status: 200 },
  { name: "GET", payload: () => validPayload(), method: "GET", status: 405 },
  { name: "wrong content type", payload: async () => withHeaders(await validPayload(), { "content-type": "text/plain" }), status: 415 },
  { name: "too large", payload: () => validPayload({}, " ".repeat(MAX_BODY_BYTES + 1)), status: 413 },
  { name: "missing token", payload: async () => withHeaders(await validPayload(), { authorization: undefined }), status: 401 },
  { name: "bad token", payload: () => validPayload({ key: testKeys.es256 }), status: 401 },
  { name: "malformed body", payload: () => validPayload({}, '{"requestId":'), status: 400 },
  { name: "schema failure", payload: () => validPayload({}, JSON.stringify(fixtureWith("email-bounce", ["channel"], "fax"))), status: 422 },
  { name: "handler error", payload: () => validPayload({}, fixtureText("email-error")), status: 500 },
  { name: "handler too slow", options: { handlerTimeoutMs: 5 }, payload: () => validPayload({}, fixtureText("email-sent")), status: 202 },
  { name: "jti replay", options: { dedupe: { store: createMemoryDedupeStore() } }, before: 1, payload: () => validPayload(), status: 401 },
  {
    name: "standard-webhooks signature",
    options: { auth: testKeys.standardWebhooks.receiverAuth },
    payload: async () => withHeaders(await validPayload({ key: testKeys.standardWebhooks }), { "webhook-signature": "v1,AAAA" }),
    status: 401,
  },
  {
    name: "standard-webhooks valid",
    options: { auth: testKeys.standardWebhooks.receiverAuth },
    payload: () => validPayload({ key: testKeys.standardWebhooks }),
    status: 200,
  },
];

function makeReceiver(options: Partial<ReceiverOptions> = {}): Receiver {
  return createReceiver({ auth: testKeys.hs256.receiverAuth, maxBodyBytes: MAX_BODY_BYTES, onError: () => {}, ...options })
    .on("error", () => {
      throw new Error("handler failed");
    })
    .on("sent", () => new Promise((resolve) => setTimeout(resolve, 100)));
}

describe("the raw receiver core answers exactly as receiver.handle", () => {
  it.each(CASES)("$name → $status", async ({ options, before = 0, payload: make, method, status }) => {
    const payload = await make();
    // Two identical receivers, so state (dedupe) evolves the same on both paths.
    const web = makeReceiver(options);
    const raw = makeReceiver(options);
    for (let i = 0; i < before; i++) {
      await web.handle(toRequest(payload));
      await rawCall(raw, payload);
    }
    const init = method === undefined ? {} : { method, body: null };
    const expected = await asRaw(await web.handle(toRequest(payload, init)));
    const actual = await rawCall(raw, payload, method);
    expect(expected.status).toBe(status);
    expect(actual).toEqual(expected);
  });

  it("is internal: not an own property of the receiver, and absent for a wrapped receiver", () => {
    const receiver = makeReceiver();
    expect(Object.keys(receiver).sort()).toEqual(["handle", "maxBodyBytes", "on", "ready", "verify"]);
    expect(rawHandlerOf(receiver)).toBeTypeOf("function");
    expect(rawHandlerOf({ ...receiver })).toBeUndefined();
  });
});

describe("errorToRawResponse", () => {
  it.each([
    [new PayloadParseError("x")],
    [new VerificationError("missing", "none")],
    [new VerificationError("expired", "old")],
    [new ReplayError("seen")],
    [new PayloadTooLargeError(10)],
    [new UnsupportedMediaTypeError("text/plain")],
    [new PayloadValidationError([{ path: "channel", message: "must be email or sms" }])],
    [new InvalidStateError("consumed")],
    [new Error("hunter2")],
  ])("is the same answer as errorToResponse for %s", async (error) => {
    for (const scheme of ["Bearer", "WebhookSignature"] as const) {
      expect(errorToRawResponse(error, scheme)).toEqual(await asRaw(errorToResponse(error, scheme)));
    }
  });
});

describe("nodeHeaders", () => {
  it("reads Node's lower-case headers, joins arrays like Headers.get and answers null when absent", () => {
    const headers = nodeHeaders({ "content-type": "application/json", "x-list": ["a", "b"] });
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("x-list")).toBe(new Headers([["x-list", "a"], ["x-list", "b"]]).get("x-list"));
    expect(headers.get("authorization")).toBeNull();
  });
});
