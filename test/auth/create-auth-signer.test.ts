import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthSigner } from "../../src/auth/create-auth-signer.js";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { createTokenVerifier } from "../../src/auth/verify-feedback-token.js";
import { isWebhookError } from "../../src/errors.js";
import { Secret } from "../../src/secret.js";
import {
  BODY,
  config,
  decodeSegment,
  HS_SECRET,
  ISSUER,
  jwtAuth,
  NOW,
  nowMs,
  PAIRS,
  signToken,
  URL_,
} from "./fixtures.js";

const input = { body: BODY, deliveryId: "msg_1", timestamp: NOW, requestId: "req_1" };
const day = 86_400_000;

afterEach(() => vi.restoreAllMocks());

describe("createAuthSigner — JWT", () => {
  it("signs the documented claims and header, with aud defaulting to the webhook URL", async () => {
    const [header, payload] = (await signToken()).split(".") as [string, string];
    expect(decodeSegment(header)).toEqual({ alg: "HS256", typ: "JWT", kid: "k1" });
    const claims = decodeSegment(payload);
    expect(claims).toMatchObject({ iss: ISSUER, aud: URL_, sub: "myImsOrg/prod", iat: NOW, exp: NOW + 300 });
    expect(claims.requestId).toBe("8NoByJneShCdCGRnrGS1t1m3CdA73dhR");
    expect(claims.body_sha256).toBe(createHash("sha256").update(BODY).digest("base64url"));
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("writes the payload's claims in one fixed order, token after token", async () => {
    const signer = createAuthSigner(config(), { now: nowMs });
    for (const timestamp of [NOW, NOW + 1]) {
      const token = (await signer.sign({ ...input, timestamp })).authorization!.slice("Bearer ".length);
      expect(Object.keys(decodeSegment(token.split(".")[1] as string))).toEqual([
        "iss",
        "aud",
        "sub",
        "iat",
        "exp",
        "jti",
        "requestId",
        "body_sha256",
      ]);
    }
  });

  it("hashes a body given as bytes like the same body given as a string", async () => {
    const signer = createAuthSigner(config(), { now: nowMs });
    const claimsOf = async (body: string | Uint8Array) =>
      decodeSegment((await signer.sign({ ...input, body })).authorization!.split(".")[1] as string);
    const fromBytes = await claimsOf(new TextEncoder().encode(BODY));
    expect(fromBytes.body_sha256).toBe((await claimsOf(BODY)).body_sha256);
    expect(fromBytes.body_sha256).toBe(createHash("sha256").update(BODY).digest("base64url"));
  });

  it("uses the configured audience and lifetime", async () => {
    const cfg = config(jwtAuth("HS256", { audience: "crm", expiresInSeconds: 3600 }));
    const claims = decodeSegment((await signToken({ cfg })).split(".")[1] as string);
    expect(claims).toMatchObject({ aud: "crm", exp: NOW + 3600 });
  });

  it("makes a fresh token with a unique jti per attempt, even for the same delivery", async () => {
    const signer = createAuthSigner(config(), { now: nowMs });
    const tokens = await Promise.all(Array.from({ length: 50 }, () => signer.sign(input)));
    const jtis = tokens.map((t) => decodeSegment(t.authorization!.split(".")[1] as string).jti);
    expect(new Set(jtis).size).toBe(50);
  });

  it("hashes the exact body bytes, for strings and Uint8Array alike", async () => {
    const signer = createAuthSigner(config(), { now: nowMs });
    const bytes = new TextEncoder().encode(`${BODY}\n`);
    const token = (await signer.sign({ ...input, body: bytes })).authorization!;
    expect(decodeSegment(token.split(".")[1] as string).body_sha256).toBe(
      createHash("sha256").update(bytes).digest("base64url"),
    );
  });

  it("returns only the authorization header for jwt and nothing for none", async () => {
    expect(Object.keys(await createAuthSigner(config()).sign(input))).toEqual(["authorization"]);
    expect(await createAuthSigner(config({ type: "none" })).sign(input)).toEqual({});
  });

  it("signs with every asymmetric algorithm and the result verifies with the public key", async () => {
    for (const alg of ["RS256", "PS256", "ES256", "EdDSA"] as const) {
      const token = await signToken({ cfg: config(jwtAuth(alg)) });
      expect(decodeSegment(token.split(".")[0] as string)).toEqual({ alg, typ: "JWT", kid: PAIRS[alg].kid });
      const verify = createTokenVerifier({ publicKey: PAIRS[alg].publicKeyPem, issuer: ISSUER, now: nowMs });
      await expect(verify(token, BODY)).resolves.toMatchObject({ sub: "myImsOrg/prod" });
    }
  });

  it("imports each key once per signer: no Web Crypto import per request", async () => {
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const signer = createAuthSigner(config(jwtAuth("ES256")), { now: nowMs });
    await signer.sign(input);
    const afterFirst = importKey.mock.calls.length;
    expect(afterFirst).toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) await signer.sign(input);
    expect(importKey.mock.calls.length).toBe(afterFirst);
  });
});

describe("createAuthSigner — rotation", () => {
  const rotated = (oldNotAfter: Date) =>
    config({
      type: "jwt",
      algorithm: "HS256",
      issuer: ISSUER,
      keys: [
        { kid: "old", secret: HS_SECRET, createdAt: new Date(nowMs() - 30 * day), notAfter: oldNotAfter },
        { kid: "new", secret: `${HS_SECRET}-new`, createdAt: new Date(nowMs() - day) },
      ],
    });
  const kidOf = (token: string) => decodeSegment(token.replace("Bearer ", "").split(".")[0] as string).kid;

  it("signs with the newest active key", async () => {
    expect(kidOf(await signToken({ cfg: rotated(new Date(nowMs() + day)) }))).toBe("new");
  });

  it("keeps signing with the older key while the newer one is past its notAfter", async () => {
    const cfg = rotated(new Date(nowMs() + day));
    if (cfg.auth.type !== "jwt") throw new Error("jwt expected");
    cfg.auth.keys[1]!.notAfter = new Date(nowMs() - 1);
    expect(kidOf(await signToken({ cfg }))).toBe("old");
  });

  it("stops signing with a key once its notAfter passes, on the same signer", async () => {
    let now = nowMs();
    const cfg = config({
      type: "jwt",
      algorithm: "HS256",
      issuer: ISSUER,
      keys: [
        {
          kid: "newest-but-expiring",
          secret: HS_SECRET,
          createdAt: new Date(now - day),
          notAfter: new Date(now + 1000),
        },
        { kid: "older", secret: `${HS_SECRET}-2`, createdAt: new Date(now - 2 * day) },
      ],
    });
    const signer = createAuthSigner(cfg, { now: () => now });
    expect(kidOf((await signer.sign(input)).authorization!)).toBe("newest-but-expiring");
    now += 1000;
    expect(kidOf((await signer.sign(input)).authorization!)).toBe("older");
  });

  it("throws a ConfigValidationError when every key is past its notAfter", async () => {
    const cfg = rotated(new Date(nowMs() + day));
    if (cfg.auth.type !== "jwt") throw new Error("jwt expected");
    cfg.auth.keys[1]!.notAfter = new Date(nowMs() + 2 * day);
    const signer = createAuthSigner(cfg, { now: () => nowMs() + 2 * day });
    await expect(signer.sign(input)).rejects.toSatisfy((e) => isWebhookError(e, "ERR_CONFIG_INVALID"));
  });
});

describe("createAuthSigner — keyResolver", () => {
  const refConfig = (algorithm: "HS256" | "ES256") =>
    config({ type: "jwt", algorithm, issuer: ISSUER, keys: [{ kid: "kms-1", ref: "env:SIGNING_KEY" }] });

  it("resolves a ref once per signer and signs with it; the config never holds the material", async () => {
    const resolver = vi.fn(async () => HS_SECRET);
    const cfg = refConfig("HS256");
    expect(JSON.stringify(cfg)).not.toContain(HS_SECRET);
    const signer = createAuthSigner(cfg, { keyResolver: resolver, now: nowMs });
    for (let i = 0; i < 5; i++) await signer.sign(input);
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(resolver).toHaveBeenCalledWith("env:SIGNING_KEY", { kid: "kms-1", algorithm: "HS256", orgId: "myImsOrg" });
    const token = (await signer.sign(input)).authorization!;
    const verify = createTokenVerifier({ secret: HS_SECRET, now: nowMs });
    await expect(verify(token, BODY)).resolves.toMatchObject({ requestId: "req_1" });
  });

  it("accepts a private JWK from the resolver for asymmetric keys", async () => {
    const signer = createAuthSigner(refConfig("ES256"), { keyResolver: () => PAIRS.ES256.privateJwk, now: nowMs });
    const token = (await signer.sign(input)).authorization!;
    await expect(
      createTokenVerifier({ publicKey: { kid: "kms-1", key: PAIRS.ES256.publicJwk }, now: nowMs })(token, BODY),
    ).resolves.toBeDefined();
  });

  it("retries a resolver that failed instead of caching the failure", async () => {
    const resolver = vi.fn().mockRejectedValueOnce(new Error("KMS unavailable")).mockResolvedValue(HS_SECRET);
    const signer = createAuthSigner(refConfig("HS256"), { keyResolver: resolver, now: nowMs });
    await expect(signer.sign(input)).rejects.toThrow("KMS unavailable");
    await expect(signer.sign(input)).resolves.toHaveProperty("authorization");
  });

  it("refuses unusable resolved material without quoting it", async () => {
    const weak = "short-secret";
    const signer = createAuthSigner(refConfig("HS256"), { keyResolver: () => weak, now: nowMs });
    const error = await signer.sign(input).catch((e) => e);
    expect(isWebhookError(error, "ERR_CONFIG_INVALID")).toBe(true);
    expect(error.message).not.toContain(weak);
    const es = createAuthSigner(refConfig("ES256"), { keyResolver: () => PAIRS.RS256.privateKeyPem, now: nowMs });
    await expect(es.sign(input)).rejects.toThrow(/ES256 needs an EC P-256 key, got rsa/);
  });

  it("requires a keyResolver for ref keys, at creation", () => {
    expect(() => createAuthSigner(refConfig("HS256"))).toThrow(/auth\.keys\[0\]\.ref: a ref key needs the keyResolver/);
  });
});

describe("createAuthSigner — refuses configurations that cannot sign", () => {
  it("refuses an HS secret shorter than 32 bytes even in a hand-built config", () => {
    const cfg = config();
    if (cfg.auth.type !== "jwt") throw new Error("jwt expected");
    cfg.auth.keys[0]!.secret = new Secret(new TextEncoder().encode("only-16-bytes!!!"));
    expect(() => createAuthSigner(cfg)).toThrow(/at least 32 random bytes, got 16/);
  });

  it("refuses a public key where the private key belongs", () => {
    const cfg = config(jwtAuth("RS256"));
    if (cfg.auth.type !== "jwt") throw new Error("jwt expected");
    cfg.auth.keys[0]!.privateKey = new Secret(PAIRS.RS256.publicKeyPem);
    expect(() => createAuthSigner(cfg)).toThrow(/auth\.keys\[0\]\.privateKey: is a public key/);
  });

  it("generates keys that plug straight into a config", async () => {
    const hs = generateSigningKey("HS512");
    const token = await signToken({ cfg: config(jwtAuth("HS512", { keys: [hs.configKey] })) });
    await expect(createTokenVerifier({ secret: hs, now: nowMs })(token, BODY)).resolves.toBeDefined();
  });
});
