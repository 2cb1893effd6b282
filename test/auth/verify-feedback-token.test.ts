import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { createTokenVerifier, verifyFeedbackToken } from "../../src/auth/verify-feedback-token.js";
import type { VerifyTokenOptions } from "../../src/auth/verify-token-options.js";
import { ConfigValidationError } from "../../src/errors.js";
import {
  BODY,
  config,
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

const base: VerifyTokenOptions = { secret: HS_SECRET, issuer: ISSUER, audience: URL_, now: nowMs };
const issuesOf = (options: VerifyTokenOptions) => {
  try {
    createTokenVerifier(options);
  } catch (e) {
    return (e as ConfigValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
};

afterEach(() => vi.restoreAllMocks());

describe("createTokenVerifier", () => {
  it("returns the claims of a valid token, with or without the Bearer prefix", async () => {
    const token = await signToken();
    const verify = createTokenVerifier(base);
    const claims = await verify(token, BODY);
    expect(claims).toMatchObject({ iss: ISSUER, aud: URL_, sub: "myImsOrg/prod", iat: NOW, exp: NOW + 300 });
    await expect(verify(`Bearer ${token}`, new TextEncoder().encode(BODY))).resolves.toEqual(claims);
  });

  it("verifies the same with jose alone (nodeFastPath: false), as other runtimes do", async () => {
    const token = await signToken();
    await expect(createTokenVerifier({ ...base, nodeFastPath: false })(token, BODY)).resolves.toMatchObject({
      iat: NOW,
    });
    const error = await rejection(createTokenVerifier({ ...base, nodeFastPath: false })(token, `${BODY} `));
    expect(error.reason).toBe("body_mismatch");
  });

  it("refuses every token when the clock is not a finite number, on both paths (as jose does)", async () => {
    const token = await signToken();
    for (const nodeFastPath of [true, false]) {
      const error = await rejection(createTokenVerifier({ ...base, now: () => Number.NaN, nodeFastPath })(token, BODY));
      expect(error).toMatchObject({ reason: "signature", message: "Token could not be verified." });
      expect((error.cause as Error).message).toBe("Invalid currentDate option input");
    }
  });

  it("imports keys once: no Web Crypto import per request", async () => {
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const verify = createTokenVerifier({ ...base, publicKey: PAIRS.RS256.publicKeyPem, nodeFastPath: false });
    await verify.ready();
    const afterReady = importKey.mock.calls.length;
    const hs = await signToken();
    const rs = await signToken({ cfg: config(jwtAuth("RS256")) });
    const signed = importKey.mock.calls.length;
    for (let i = 0; i < 20; i++) {
      await verify(hs, BODY);
      await verify(rs, BODY);
    }
    expect(importKey.mock.calls.length - signed).toBe(0);
    expect(afterReady).toBeGreaterThan(0);
  });

  it("caches the verifier per options object in verifyFeedbackToken", async () => {
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const token = await signToken();
    const options = { ...base };
    await verifyFeedbackToken(token, BODY, options);
    const once = importKey.mock.calls.length;
    for (let i = 0; i < 10; i++) await verifyFeedbackToken(token, BODY, options);
    expect(importKey.mock.calls.length).toBe(once);
  });

  it("accepts a token without body_sha256 only when requireBodyHash is false, and still checks a present one", async () => {
    const claims = { iss: ISSUER, aud: URL_, iat: NOW, exp: NOW + 60 };
    const bare = hmacToken({ alg: "HS256" }, claims, HS_SECRET);
    expect((await rejection(createTokenVerifier(base)(bare, BODY))).reason).toBe("claim");
    await expect(createTokenVerifier({ ...base, requireBodyHash: false })(bare, BODY)).resolves.toMatchObject(claims);
    const token = await signToken();
    const error = await rejection(createTokenVerifier({ ...base, requireBodyHash: false })(token, "{}"));
    expect(error.reason).toBe("body_mismatch");
  });

  it("checks sub when subject is configured", async () => {
    const token = await signToken();
    await expect(createTokenVerifier({ ...base, subject: "myImsOrg/prod" })(token, BODY)).resolves.toBeDefined();
    expect((await rejection(createTokenVerifier({ ...base, subject: "other/prod" })(token, BODY))).reason).toBe(
      "claim",
    );
  });
});

describe("key sources and rotation on the receiving side", () => {
  it("selects the secret by kid among several", async () => {
    const token = await signToken(); // kid k1, HS_SECRET
    const verify = createTokenVerifier({
      ...base,
      secret: [
        { kid: "k0", secret: "x".repeat(32) },
        { kid: "k1", secret: HS_SECRET },
      ],
    });
    await expect(verify(token, BODY)).resolves.toBeDefined();
  });

  it("tries each secret without kid (old and new during a rotation)", async () => {
    const token = await signToken();
    const verify = createTokenVerifier({ ...base, secret: ["n".repeat(40), HS_SECRET] });
    await expect(verify(token, BODY)).resolves.toBeDefined();
  });

  it("accepts the output of generateSigningKey for HS as a secret", async () => {
    const key = generateSigningKey("HS384");
    const token = await signToken({ cfg: config(jwtAuth("HS384", { keys: [key.configKey] })) });
    await expect(createTokenVerifier({ ...base, secret: key })(token, BODY)).resolves.toBeDefined();
  });

  it("accepts public keys as PEM, JWK, KeyObject, CryptoKey, and in a local JWKS", async () => {
    const token = await signToken({ cfg: config(jwtAuth("ES256")) });
    const { publicKeyPem, publicJwk } = PAIRS.ES256;
    const cryptoKey = await crypto.subtle.importKey(
      "spki",
      createPublicKey(publicKeyPem).export({ format: "der", type: "spki" }),
      { name: "ECDSA", namedCurve: "P-256" },
      false,
      ["verify"],
    );
    const sources: VerifyTokenOptions[] = [
      { publicKey: publicKeyPem },
      { publicKey: publicJwk },
      { publicKey: createPublicKey(publicKeyPem) },
      { publicKey: cryptoKey },
      { jwks: { keys: [PAIRS.RS256.publicJwk, publicJwk] } },
      { publicKeys: [PAIRS.EdDSA.publicKeyPem, { kid: PAIRS.ES256.kid, key: publicKeyPem }] },
    ];
    for (const source of sources) {
      await expect(createTokenVerifier({ ...source, issuer: ISSUER, now: nowMs })(token, BODY)).resolves.toBeDefined();
    }
  });

  it("leaves a CryptoKey that node:crypto cannot adopt (e.g. from a polyfill) to jose, as before", async () => {
    const token = await signToken({ cfg: config(jwtAuth("ES256")) });
    const foreign = {
      [Symbol.toStringTag]: "CryptoKey",
      type: "public",
      extractable: true,
      algorithm: { name: "ECDSA", namedCurve: "P-256" },
      usages: ["verify"],
    } as unknown as CryptoKey;
    const outcomes = [];
    for (const nodeFastPath of [true, false]) {
      const verify = createTokenVerifier({ publicKey: foreign, issuer: ISSUER, now: nowMs, nodeFastPath });
      await expect(verify.ready()).resolves.toBeUndefined();
      const { reason, message } = await rejection(verify(token, BODY));
      outcomes.push({ reason, message });
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
  });

  it("accepts RS256 and PS256 with the same RSA public key, nothing else", async () => {
    const verify = createTokenVerifier({ publicKey: PAIRS.RS256.publicKeyPem, now: nowMs });
    await verify.ready();
    const rs = await signToken({ cfg: config(jwtAuth("RS256")) });
    const ps = await signToken({
      cfg: config(jwtAuth("PS256", { keys: [{ kid: "ps", privateKey: PAIRS.RS256.privateKeyPem }] })),
    });
    await expect(verify(rs, BODY)).resolves.toBeDefined();
    await expect(verify(ps, BODY)).resolves.toBeDefined();
    expect((await rejection(verify(await signToken(), BODY))).reason).toBe("algorithm");
  });

  it("narrows algorithms with the algorithms option", async () => {
    const verify = createTokenVerifier({ publicKey: PAIRS.RS256.publicKeyPem, algorithms: ["PS256"], now: nowMs });
    expect((await rejection(verify(await signToken({ cfg: config(jwtAuth("RS256")) }), BODY))).reason).toBe(
      "algorithm",
    );
  });
});

describe("options are validated once, at creation", () => {
  it("requires a key source", () => {
    expect(issuesOf({ issuer: ISSUER })).toEqual([
      ": give at least one key source: secret, publicKey, publicKeys, jwks or jwksUrl",
    ]);
  });

  it("refuses HS secrets shorter than 32 bytes, without quoting them", () => {
    const weak = "password1234";
    const issues = issuesOf({ secret: [HS_SECRET, weak] });
    expect(issues).toEqual(["secret[1]: an HMAC secret must be at least 32 random bytes, got 12"]);
    expect(issues.join()).not.toContain(weak);
  });

  it("refuses private keys, certificates, oct JWKs, bad URLs and numbers", () => {
    const issues = issuesOf({
      publicKeys: [
        PAIRS.RS256.privateKeyPem,
        PAIRS.ES256.privateJwk,
        { kty: "oct", k: "AAAA" },
        "-----BEGIN CERTIFICATE-----",
      ],
      jwksUrl: "http://keys.example.com/jwks.json",
      clockTolerance: -1,
      maxTokenAge: Number.NaN,
      algorithms: ["none" as "HS256"],
    });
    expect(issues).toEqual([
      "publicKeys[0]: is a private key; a receiver needs only the public key (openssl pkey -pubout)",
      "publicKeys[1]: is a private JWK; a receiver needs only the public key (drop d, p, q, dp, dq, qi)",
      'publicKeys[2]: is a shared-secret ("oct") JWK; pass the secret as `secret`',
      "publicKeys[3]: is a certificate; give its SPKI public key (openssl x509 -pubkey -noout)",
      "jwksUrl: must use https: (http: only on localhost/loopback, for development)",
      'algorithms: must list some of HS256, HS384, HS512, RS256, PS256, ES256, EdDSA (never "none")',
      "clockTolerance: must be a finite number of seconds ≥ 0",
      "maxTokenAge: must be a finite number of seconds ≥ 1",
    ]);
    expect(issues.join()).not.toContain(PAIRS.RS256.privateKeyPem.slice(40, 80));
  });

  it("reports keys that cannot be imported through ready() and every call", async () => {
    const short = generateKeyPairRsa1024();
    const verify = createTokenVerifier({
      publicKeys: [short, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"],
    });
    const error = await verify.ready().catch((e) => e);
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.issues.map((i: { path: string; message: string }) => `${i.path}: ${i.message}`)).toEqual([
      "publicKeys[0]: is an RSA key shorter than 2048 bits",
      "publicKeys[1]: is not an RSA, EC P-256 or Ed25519 SPKI public key",
    ]);
    await expect(verify("a.b.c", BODY)).rejects.toBeInstanceOf(ConfigValidationError);
  });

  it("refuses algorithms that fit none of the keys", async () => {
    const verify = createTokenVerifier({ secret: HS_SECRET, algorithms: ["ES256"] });
    await expect(verify.ready()).rejects.toThrow(/none of the listed algorithms fits the given keys/);
  });
});

function generateKeyPairRsa1024(): string {
  return generateKeyPairSync("rsa", { modulusLength: 1024 })
    .publicKey.export({ format: "pem", type: "spki" })
    .toString();
}
