import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { validateKeyMaterial } from "../../src/auth/validate-key-material.js";
import type { JwtAlgorithm } from "../../src/config/auth-config-schema.js";
import type { AuthConfig, Jwk } from "../../src/config/webhook-config.js";
import { Secret } from "../../src/secret.js";
import { PAIRS } from "./fixtures.js";

const auth = (algorithm: JwtAlgorithm, privateKey: string | Jwk): AuthConfig => ({
  type: "jwt",
  algorithm,
  issuer: "me",
  expiresInSeconds: 300,
  keys: [{ kid: "k1", createdAt: new Date(), privateKey: new Secret(privateKey) }],
});
const messages = (a: AuthConfig) => validateKeyMaterial(a).map((i) => `${i.path}: ${i.message}`);
const pem = (key: { export(o: object): string | Buffer }, type: string) =>
  key.export({ format: "pem", type }).toString();

describe("validateKeyMaterial", () => {
  it("accepts each algorithm's own key as PEM and as JWK", () => {
    for (const [alg, pair] of Object.entries(PAIRS) as [JwtAlgorithm, (typeof PAIRS)["RS256"]][]) {
      expect(messages(auth(alg, pair.privateKeyPem))).toEqual([]);
      expect(messages(auth(alg, `\n${pair.privateKeyPem}`))).toEqual([]);
      expect(messages(auth(alg, pair.privateJwk))).toEqual([]);
    }
  });

  it("refuses a key type that does not fit the algorithm", () => {
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey;
    const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
    expect([
      ...messages(auth("ES256", PAIRS.RS256.privateKeyPem)),
      ...messages(auth("ES256", pem(p384, "pkcs8"))),
      ...messages(auth("RS256", PAIRS.ES256.privateKeyPem)),
      ...messages(auth("PS256", pem(rsa1024, "pkcs8"))),
      ...messages(auth("EdDSA", PAIRS.ES256.privateJwk)),
    ]).toEqual([
      "auth.keys[0].privateKey: ES256 needs an EC P-256 key, got rsa",
      "auth.keys[0].privateKey: ES256 needs an EC P-256 key, got curve secp384r1",
      "auth.keys[0].privateKey: RS256 needs an RSA key, got ec",
      "auth.keys[0].privateKey: PS256 needs an RSA key of at least 2048 bits, got 1024",
      "auth.keys[0].privateKey: is a JWK for alg ES256, not EdDSA",
    ]);
  });

  it("refuses public keys, PKCS#1, malformed PEM and JWK — without quoting them", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const pkcs1 = pem(rsa, "pkcs1");
    const lines = PAIRS.ES256.privateKeyPem.split("\n");
    const broken = [lines[0], "AAAA", ...lines.slice(2)].join("\n");
    const { d: _d, ...publicOnly } = PAIRS.ES256.privateJwk;
    const cases: [string | Jwk, string][] = [
      [PAIRS.ES256.publicKeyPem, "is a public key; the sender signs with the private key (PKCS#8 PEM or private JWK)"],
      [pkcs1, "is a PKCS#1/SEC1 PEM; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem"],
      [broken, "is not a valid PKCS#8 PEM private key"],
      ["not a key", 'is not a PKCS#8 PEM private key (expected "-----BEGIN PRIVATE KEY-----")'],
      [publicOnly as Jwk, "is a public JWK; give the private JWK (with d)"],
      [{ kty: "EC", crv: "P-256", d: "AAAA" }, "is not a valid private JWK"],
      [{ kty: "oct", k: "c2VjcmV0" }, "is a shared-secret JWK; ES256 signs with a private key"],
    ];
    for (const [material, expected] of cases) {
      const [issue] = validateKeyMaterial(auth("ES256", material));
      expect(issue).toEqual({ path: "auth.keys[0].privateKey", message: expected });
      expect(issue?.message).not.toContain(PAIRS.ES256.privateKeyPem.slice(30, 60));
    }
  });

  it("has nothing to say about HS configs, none, standard-webhooks or ref keys", () => {
    // A privateKey on an HS config is reported by the config normalization, not twice.
    expect(validateKeyMaterial(auth("HS256", "not a key"))).toEqual([]);
    expect(validateKeyMaterial({ type: "none" })).toEqual([]);
    const ref = auth("ES256", "");
    if (ref.type === "jwt") ref.keys = [{ kid: "r", createdAt: new Date(), ref: "kms:1" }];
    expect(validateKeyMaterial(ref)).toEqual([]);
    const sw = generateSigningKey("standard-webhooks").secret;
    expect(validateKeyMaterial({ type: "standard-webhooks", secret: new Secret(sw), previousSecrets: [] })).toEqual([]);
  });
});
