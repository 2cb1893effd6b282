import { fixtureText } from "../fixtures/index.js";
import { type SignTestRequestOptions, signTestPayload, type SignedTestPayload, testKeys } from "../../src/testing/index.js";

/** The one valid delivery every receiver test starts from: the email-bounce fixture, signed HS256. */
export const VALID_BODY = fixtureText("email-bounce");

/** Options of the valid delivery; a test overrides exactly one. */
export function validOptions(overrides: Partial<SignTestRequestOptions> = {}): SignTestRequestOptions {
  return { key: testKeys.hs256, deliveryId: "delivery-1", ...overrides };
}

/** The valid delivery as data, so a test can change exactly one thing before building the Request. */
export function validPayload(overrides: Partial<SignTestRequestOptions> = {}, body: string = VALID_BODY): Promise<SignedTestPayload> {
  return signTestPayload(body, validOptions(overrides));
}

/** The payload with some headers changed (`undefined` removes one). */
export function withHeaders(payload: SignedTestPayload, changes: Record<string, string | undefined>): SignedTestPayload {
  const headers = { ...payload.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return { ...payload, headers };
}

/** Builds the Request of a (possibly changed) payload. */
export function toRequest(payload: SignedTestPayload, init: RequestInit = {}): Request {
  return new Request(payload.url, { method: payload.method, headers: payload.headers, body: payload.body, ...init });
}

/** The valid delivery as a Request. */
export async function validRequest(overrides: Partial<SignTestRequestOptions> = {}, body?: string): Promise<Request> {
  return toRequest(await validPayload(overrides, body));
}
