import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAuthSigner } from "../../src/auth/create-auth-signer.js";
import { createTokenVerifier } from "../../src/auth/verify-feedback-token.js";
import type { VerifyTokenOptions } from "../../src/auth/verify-token-options.js";
import { ConfigValidationError, VerificationError } from "../../src/errors.js";
import { Secret } from "../../src/secret.js";
import {
  b64u,
  BODY,
  config,
  decodeSegment,
  HS_SECRET,
  hmacToken,
  ISSUER,
  jwtAuth,
  NOW,
  nowMs,
  PAIRS,
  rejection,
  signToken,
  URL_,
} from "./fixtures.js";

const HS: VerifyTokenOptions = { secret: { kid: "k1", secret: HS_SECRET }, issuer: ISSUER, audience: URL_, now: nowMs };
const RS: VerifyTokenOptions = { publicKey: PAIRS.RS256.publicKeyPem, issuer: ISSUER, audience: URL_, now: nowMs };

/** Every refusal must be a VerificationError whose message quotes neither the token nor a key. */
async function refused(token: string, body: string, options: VerifyTokenOptions = HS) {
  const error = await rejection(createTokenVerifier(options)(token, body));
  expect(error).toBeInstanceOf(VerificationError);
  expect(error.cause === undefined || error.cause instanceof Error).toBe(true);
  const forbidden = [token, ...token.split("."), HS_SECRET, PAIRS.RS256.publicKeyPem].filter((s) => s.length >= 8);
  for (const text of forbidden) expect(error.message).not.toContain(text.slice(0, 64));
  return error;
}

const segments = (token: string) => token.split(".") as [string, string, string];

describe("security: one valid token, one change", () => {
  it("the unchanged token verifies (the baseline of every case below)", async () => {
    await expect(createTokenVerifier(HS)(await signToken(), BODY)).resolves.toBeDefined();
    await expect(
      createTokenVerifier(RS)(await signToken({ cfg: config(jwtAuth("RS256")) }), BODY),
    ).resolves.toBeDefined();
  });

  it('alg "none" with an empty signature → algorithm', async () => {
    const [, payload] = segments(await signToken());
    const none = `${b64u(JSON.stringify({ alg: "none", typ: "JWT" }))}.${payload}.`;
    expect((await refused(none, BODY)).reason).toBe("algorithm");
    expect((await refused(none, BODY, RS)).reason).toBe("algorithm");
  });

  it("HS/RS confusion: HS256 signed with the RSA public key as HMAC secret → algorithm", async () => {
    const [header, payload] = segments(await signToken({ cfg: config(jwtAuth("RS256")) }));
    const forgedHeader = b64u(JSON.stringify({ ...decodeSegment(header), alg: "HS256" }));
    const input = `${forgedHeader}.${payload}`;
    const mac = createHmac("sha256", PAIRS.RS256.publicKeyPem).update(input).digest("base64url");
    expect((await refused(`${input}.${mac}`, BODY, RS)).reason).toBe("algorithm");
    // Also when the receiver holds both a secret and the public key: the PEM is never an HMAC key.
    expect((await refused(`${input}.${mac}`, BODY, { ...RS, secret: HS_SECRET })).reason).toBe("signature");
  });

  it("an RS token against an HS-only verifier → algorithm", async () => {
    expect((await refused(await signToken({ cfg: config(jwtAuth("RS256")) }), BODY)).reason).toBe("algorithm");
  });

  it("expired (signed 10 minutes ago, exp passed) → expired", async () => {
    expect((await refused(await signToken({ timestamp: NOW - 600 }), BODY)).reason).toBe("expired");
  });

  it("older than maxTokenAge but exp still ahead → expired", async () => {
    const cfg = config(jwtAuth("HS256", { keys: [{ kid: "k1", secret: HS_SECRET }], expiresInSeconds: 3600 }));
    const error = await refused(await signToken({ cfg, timestamp: NOW - 400 }), BODY);
    expect([error.reason, error.message]).toEqual([
      "expired",
      "Token is older than maxTokenAge (iat too far in the past).",
    ]);
  });

  it("iat in the future beyond clockTolerance → not_yet_valid; within it → accepted", async () => {
    expect((await refused(await signToken({ timestamp: NOW + 31 }), BODY)).reason).toBe("not_yet_valid");
    await expect(createTokenVerifier(HS)(await signToken({ timestamp: NOW + 30 }), BODY)).resolves.toBeDefined();
  });

  it("wrong iss → claim", async () => {
    const error = await refused(await signToken(), BODY, { ...HS, issuer: "https://evil.example.com" });
    expect([error.reason, error.message]).toEqual(["claim", 'Token claim "iss" has an unexpected value.']);
  });

  it("wrong aud → claim", async () => {
    const error = await refused(await signToken(), BODY, { ...HS, audience: "https://other.example.com/hook" });
    expect([error.reason, error.message]).toEqual(["claim", 'Token claim "aud" has an unexpected value.']);
  });

  it("body changed by one byte → body_mismatch", async () => {
    const changed = BODY.replace("8NoB", "8NoC");
    expect((await refused(await signToken(), changed)).reason).toBe("body_mismatch");
  });

  it("a valid token replayed with another (valid) body → body_mismatch", async () => {
    const other = await signToken({ body: '{"other":true}' });
    expect((await refused(other, BODY)).reason).toBe("body_mismatch");
  });

  it("unknown kid → key_not_found", async () => {
    const token = await signToken({ cfg: config(jwtAuth("HS256", { keys: [{ kid: "k9", secret: HS_SECRET }] })) });
    expect((await refused(token, BODY)).reason).toBe("key_not_found");
  });

  it("signed by another key → signature", async () => {
    const token = await signToken({ cfg: config(jwtAuth("HS256", { keys: [{ kid: "k1", secret: "z".repeat(32) }] })) });
    expect((await refused(token, BODY)).reason).toBe("signature");
  });

  it("truncated token → malformed; truncated signature → signature", async () => {
    const token = await signToken();
    expect((await refused(token.slice(0, token.length / 2), BODY)).reason).toBe("malformed");
    expect((await refused(token.slice(0, -4), BODY)).reason).toBe("signature");
  });

  it("non-base64url header or payload segment → malformed", async () => {
    const [header, payload, signature] = segments(await signToken());
    expect((await refused(`${header.slice(0, 5)}!*${header.slice(5)}.${payload}.${signature}`, BODY)).reason).toBe(
      "malformed",
    );
    expect((await refused(`${header}.${payload.slice(0, 5)}é${payload.slice(5)}.${signature}`, BODY)).reason).toBe(
      "malformed",
    );
  });

  it("a 1 MB segment → malformed, refused before decoding", async () => {
    const [header, payload, signature] = segments(await signToken());
    const huge = `${header}.${payload}${"A".repeat(1024 * 1024)}.${signature}`;
    const started = performance.now();
    const error = await refused(huge, BODY);
    expect([error.reason, error.message]).toEqual(["malformed", "Token is longer than 8192 characters."]);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("non-JSON header → malformed; non-JSON payload with a valid signature → malformed", async () => {
    const [, payload, signature] = segments(await signToken());
    expect((await refused(`${b64u("not json")}.${payload}.${signature}`, BODY)).reason).toBe("malformed");
    const header = b64u(JSON.stringify({ alg: "HS256", typ: "JWT", kid: "k1" }));
    const input = `${header}.${b64u("not json")}`;
    const signed = `${input}.${createHmac("sha256", HS_SECRET).update(input).digest("base64url")}`;
    expect((await refused(signed, BODY)).reason).toBe("malformed");
  });

  it("no token → missing", async () => {
    expect((await refused("", BODY)).reason).toBe("missing");
  });

  it("exp missing → claim (a token must expire)", async () => {
    const token = hmacToken({ alg: "HS256", kid: "k1" }, { iss: ISSUER, aud: URL_, iat: NOW }, HS_SECRET);
    expect((await refused(token, BODY, { ...HS, requireBodyHash: false })).message).toBe(
      'Token claim "exp" is missing.',
    );
  });

  it("weak HS secret → ConfigValidationError on both sides", () => {
    expect(() => createTokenVerifier({ secret: "0123456789abcdef" })).toThrow(ConfigValidationError);
    const cfg = config();
    if (cfg.auth.type !== "jwt") throw new Error("jwt expected");
    cfg.auth.keys[0]!.secret = new Secret(new Uint8Array(31));
    expect(() => createAuthSigner(cfg)).toThrow(ConfigValidationError);
  });
});
