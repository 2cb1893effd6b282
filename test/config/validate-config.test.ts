import { describe, expect, it } from "vitest";
import { validateConfigInput } from "../../src/config/validate-config-input.js";
import { ConfigValidationError } from "../../src/errors.js";
import { validConfig } from "./valid-config.js";

const now = new Date("2026-01-01T00:00:00Z");

function problems(input: unknown, rules = {}): Array<{ path: string; message: string }> {
  try {
    validateConfigInput(input, rules, now);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return [...(error as ConfigValidationError).issues];
  }
  return [];
}

function expectProblem(input: unknown, path: string, message: RegExp, rules = {}) {
  const found = problems(input, rules);
  expect(found, JSON.stringify(found)).toContainEqual({ path, message: expect.stringMatching(message) });
}

describe("validateConfigInput", () => {
  it("accepts the valid config and applies defaults", () => {
    const fields = validateConfigInput(validConfig({ headers: undefined }), {}, now);
    expect(fields.enabled).toBe(true);
    expect(fields.allowHttp).toBe(false);
    expect(fields.headers).toEqual({});
    expect(fields.auth.type === "jwt" && fields.auth.expiresInSeconds).toBe(300);
    expect(fields.auth.type === "jwt" && fields.auth.keys[0]?.createdAt).toEqual(now);
  });

  it("trims the name and refuses an empty or too long one", () => {
    expect(validateConfigInput(validConfig({ name: "  CRM  " }), {}, now).name).toBe("CRM");
    expectProblem(validConfig({ name: "   " }), "name", /must not be empty/);
    expectProblem(validConfig({ name: "x".repeat(129) }), "name", /at most 128/);
  });

  it("refuses empty, repeated and unknown channels", () => {
    expectProblem(validConfig({ channels: [] }), "channels", /at least one channel/);
    expectProblem(validConfig({ channels: ["email", "email"] }), "channels", /must not repeat/);
    expectProblem(validConfig({ channels: ["fax" as "email"] }), "channels[0]", /./);
  });

  it("refuses unknown fields (typos) instead of ignoring them", () => {
    expectProblem({ ...validConfig(), enabeld: false }, "", /enabeld/);
  });

  describe("url", () => {
    it("requires https", () => expectProblem(validConfig({ url: "ftp://x.example.com" }), "url", /https/));
    it("refuses http without the development opt-in", () =>
      expectProblem(validConfig({ url: "http://localhost:3000/hook" }), "url", /allowHttp/));
    it("allows http with the opt-in on loopback only", () => {
      expect(problems(validConfig({ url: "http://127.0.0.1:3000/hook", allowHttp: true }))).toEqual([]);
      expectProblem(validConfig({ url: "http://hooks.example.com", allowHttp: true }), "url", /loopback/);
    });
    it("refuses credentials in the URL", () =>
      expectProblem(validConfig({ url: "https://user:pass@hooks.example.com" }), "url", /credentials/));
    it("refuses a relative URL", () => expectProblem(validConfig({ url: "/hook" }), "url", /absolute URL/));
    it.each(["https://10.0.0.8/x", "https://169.254.169.254/latest", "https://[::1]/x", "https://192.168.1.1", "https://[fd00::1]/"])(
      "refuses the private target %s unless allowed",
      (url) => {
        expectProblem(validConfig({ url }), "url", /SSRF/);
        expect(problems(validConfig({ url }), { allowPrivateNetworks: true })).toEqual([]);
      },
    );
  });

  describe("headers", () => {
    it.each([
      ["x-ok\r\nx-injected", "v", /RFC 9110 token/],
      ["x ok", "v", /RFC 9110 token/],
      ["x-a", "v\r\nx-injected: 1", /CR, LF or NUL/],
      ["x-a", "v\0", /CR, LF or NUL/],
      ["content-type", "text/plain", /set by the SDK/],
      ["Content-Length", "1", /set by the SDK/],
      ["host", "evil", /set by the SDK/],
      ["transfer-encoding", "chunked", /set by the SDK/],
      ["connection", "close", /set by the SDK/],
      ["webhook-id", "x", /reserved/],
      ["Authorization", "Bearer x", /JWT auth/],
    ])("refuses %j: %j", (name, value, message) => {
      expectProblem(validConfig({ headers: { [name]: value } }), `headers.${name}`, message);
    });

    it("allows authorization when auth is none", () => {
      expect(problems(validConfig({ auth: { type: "none" }, headers: { authorization: "Basic abc" } }))).toEqual([]);
    });

    it("refuses more than 32 headers", () => {
      const headers = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`x-h${i}`, "v"]));
      expectProblem(validConfig({ headers }), "headers", /at most 32/);
    });

    it("refuses header names over 256 characters and headers over 8 KiB in all (Node answers 431 above 16 KiB)", () => {
      expectProblem(validConfig({ headers: { [`x-${"a".repeat(300)}`]: "1" } }), "headers", /longer than 256/);
      const wide = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`x-h${i}`, "v".repeat(3000)]));
      expectProblem(validConfig({ headers: wide }), "headers", /under 8192/);
    });

    it("refuses names that differ only in case", () => {
      expectProblem(validConfig({ headers: { "X-A": "1", "x-a": "2" } }), "headers.x-a", /case-insensitive/);
    });
  });

  describe("auth", () => {
    const jwt = (key: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      validConfig({ auth: { type: "jwt", algorithm: "HS256", issuer: "i", keys: [{ kid: "k1", ...key }], ...extra } as never });

    it("refuses an HS secret shorter than 32 bytes, without echoing it", () => {
      const found = problems(jwt({ secret: "too-short-secret" }));
      expect(found).toContainEqual({ path: "auth.keys[0].secret", message: expect.stringMatching(/at least 32/) });
      expect(JSON.stringify(found)).not.toContain("too-short-secret");
    });
    it("decodes base64 secrets before measuring them", () => {
      expectProblem(jwt({ secret: Buffer.alloc(16, 1).toString("base64"), secretEncoding: "base64" }), "auth.keys[0].secret", /got 16/);
      expect(problems(jwt({ secret: Buffer.alloc(32, 1).toString("base64"), secretEncoding: "base64" }))).toEqual([]);
    });
    it("requires exactly one key source", () => {
      expectProblem(jwt({}), "auth.keys[0]", /exactly one/);
      expectProblem(jwt({ secret: "x".repeat(40), ref: "env:KEY" }), "auth.keys[0]", /exactly one/);
    });
    it("refuses a private key for HS and a secret for ES256", () => {
      expectProblem(jwt({ privateKey: "-----BEGIN PRIVATE KEY-----" }), "auth.keys[0].privateKey", /shared secret/);
      expectProblem(
        validConfig({ auth: { type: "jwt", algorithm: "ES256", issuer: "i", keys: [{ kid: "k", secret: "x".repeat(40) }] } }),
        "auth.keys[0].secret",
        /private key/,
      );
    });
    it("refuses an expiry over one hour and the none algorithm", () => {
      expectProblem(jwt({ secret: "x".repeat(40) }, { expiresInSeconds: 7200 }), "auth.expiresInSeconds", /3600/);
      expectProblem(validConfig({ auth: { type: "jwt", algorithm: "none" as "HS256", issuer: "i", keys: [] } }), "auth.algorithm", /./);
    });
    it("refuses a key id used twice", () => {
      const auth = { type: "jwt" as const, algorithm: "HS256" as const, issuer: "i", keys: [
        { kid: "k", secret: "x".repeat(40) }, { kid: "k", secret: "y".repeat(40) }] };
      expectProblem(validConfig({ auth }), "auth.keys[1].kid", /used twice/);
    });
    it("refuses a malformed or short Standard Webhooks secret", () => {
      expectProblem(validConfig({ auth: { type: "standard-webhooks", secret: "nope" } }), "auth.secret", /whsec_/);
      expectProblem(validConfig({ auth: { type: "standard-webhooks", secret: `whsec_${Buffer.alloc(8).toString("base64")}` } }), "auth.secret", /24 bytes/);
    });
  });

  it("reports every problem at once", () => {
    const found = problems(validConfig({ name: "", channels: [], url: "http://x", headers: { host: "h" } }));
    expect(found.map((p) => p.path).sort()).toEqual(["channels", "headers.host", "name", "url"]);
    const later = problems(validConfig({ url: "http://x.example", headers: { host: "h" } }));
    expect(later.map((p) => p.path).sort()).toEqual(["headers.host", "url"]);
  });
});

describe("secret encodings", () => {
  const withSecret = (secret: string, secretEncoding: "base64url" | "hex" | "utf8") =>
    validConfig({ auth: { type: "jwt", algorithm: "HS256", issuer: "i", keys: [{ kid: "k", secret, secretEncoding }] } });

  it("names the field and the fix when a base64url secret is not base64url", () => {
    expectProblem(withSecret("not base64url!", "base64url"), "auth.keys[0].secret", /not valid base64url.*utf8/);
  });
  it("refuses invalid hex and an empty secret", () => {
    expectProblem(withSecret("zz", "hex"), "auth.keys[0].secret", /not valid hex/);
    expectProblem(withSecret("", "utf8"), "auth.keys[0].secret", /got 0/);
  });
});
