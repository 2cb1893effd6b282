import { describe, expect, it } from "vitest";
import {
  InvalidStateError,
  PayloadParseError,
  PayloadTooLargeError,
  PayloadValidationError,
  ReplayError,
  UnsupportedMediaTypeError,
  VerificationError,
} from "../../src/errors.js";
import { errorToResponse, methodNotAllowedResponse } from "../../src/receiver/error-to-response.js";

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  return (await response.json()) as Record<string, unknown>;
}

describe("errorToResponse", () => {
  it.each([
    [new PayloadParseError("Unexpected token s in 'secret-body'"), 400],
    [new VerificationError("signature", "bad"), 401],
    [new ReplayError("seen"), 401],
    [new PayloadTooLargeError(10), 413],
    [new UnsupportedMediaTypeError("text/plain"), 415],
    [new PayloadValidationError([{ path: "channel", message: "must be email or sms" }]), 422],
    [new Error("db password hunter2 leaked"), 500],
  ])("maps %s to %i with an RFC 9457 body", async (error, status) => {
    const response = errorToResponse(error);
    expect(response.status).toBe(status);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:feedback-webhooks:problem:/) });
    expect(typeof problem.title).toBe("string");
    expect(typeof problem.detail).toBe("string");
  });

  it("never echoes an error message that may hold the body or a secret", async () => {
    for (const error of [new PayloadParseError("Unexpected token in 'secret-body'"), new Error("hunter2")]) {
      const text = await errorToResponse(error).text();
      expect(text).not.toContain("secret-body");
      expect(text).not.toContain("hunter2");
    }
  });

  it("lists every schema problem on 422", async () => {
    const issues = [
      { path: "channel", message: "must be email or sms" },
      { path: "requestId", message: "required" },
    ];
    expect(await problemOf(errorToResponse(new PayloadValidationError(issues)))).toMatchObject({ issues, code: "ERR_PAYLOAD_INVALID" });
  });

  it("challenges with WWW-Authenticate on 401, naming the reason", async () => {
    const response = errorToResponse(new VerificationError("expired", "token expired"), "Bearer");
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer realm="feedback-webhooks", error="invalid_token", error_description="The credentials have expired."',
    );
    expect(await problemOf(response)).toMatchObject({ reason: "expired" });
  });

  it("answers a missing token with the bare challenge (RFC 6750 §3)", () => {
    const response = errorToResponse(new VerificationError("missing", "none"), "WebhookSignature");
    expect(response.headers.get("www-authenticate")).toBe('WebhookSignature realm="feedback-webhooks"');
  });

  it("names a replayed token with reason replay", async () => {
    expect(await problemOf(errorToResponse(new ReplayError("seen")))).toMatchObject({ status: 401, reason: "replay" });
  });

  it("closes the connection on 413, as the rest of the body is left unread", () => {
    expect(errorToResponse(new PayloadTooLargeError(10)).headers.get("connection")).toBe("close");
  });

  it("shows our own misuse messages on 500, since they tell the developer what to fix", async () => {
    expect(await problemOf(errorToResponse(new InvalidStateError("mount it first")))).toMatchObject({ detail: "mount it first" });
  });

  it("answers 405 with Allow: POST", () => {
    const response = methodNotAllowedResponse("GET");
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
