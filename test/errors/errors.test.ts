import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import {
  ConfigConflictError,
  ConfigValidationError,
  ErrorCode,
  isWebhookError,
  VerificationError,
  WebhookError,
} from "../../src/errors.js";

describe("errors", () => {
  it("carries a stable code, the subclass name and the cause", () => {
    const cause = new Error("boom");
    const error = new VerificationError("signature", "signature does not match", { cause });
    expect(error).toBeInstanceOf(WebhookError);
    expect(error.code).toBe(ErrorCode.Verification);
    expect(error.name).toBe("VerificationError");
    expect(error.reason).toBe("signature");
    expect(error.cause).toBe(cause);
  });

  it("lists every issue with its path in the message", () => {
    const error = new ConfigValidationError([
      { path: "name", message: "must not be empty" },
      { path: "", message: "unknown key" },
    ]);
    expect(error.message).toContain("2 problems");
    expect(error.message).toContain("  - name: must not be empty");
    expect(error.message).toContain("  - (root): unknown key");
  });

  it("guards by code and works on errors from another realm", () => {
    const error = new ConfigConflictError("o", "prod", "id-1");
    expect(isWebhookError(error)).toBe(true);
    expect(isWebhookError(error, "ERR_CONFIG_CONFLICT")).toBe(true);
    expect(isWebhookError(error, "ERR_CONFIG_INVALID")).toBe(false);
    const foreign = runInNewContext(
      `const e = new Error("x"); e.code = "ERR_CONFIG_CONFLICT"; e[Symbol.for("feedback-webhooks.error")] = true; e`,
    );
    expect(foreign instanceof WebhookError).toBe(false);
    expect(isWebhookError(foreign, "ERR_CONFIG_CONFLICT")).toBe(true);
    expect(isWebhookError(new Error("plain"))).toBe(false);
    expect(isWebhookError(null)).toBe(false);
  });
});
