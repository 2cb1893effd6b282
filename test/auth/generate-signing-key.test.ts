import { createPrivateKey, createPublicKey, createSecretKey } from "node:crypto";
import { calculateJwkThumbprint, importJWK, importPKCS8, importSPKI } from "jose";
import jwt from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { signingKeyInputSchema } from "../../src/config/auth-config-schema.js";
import { PAIRS } from "./fixtures.js";

describe("generateSigningKey", () => {
  it("makes HS secrets of the hash size, base64url, that plug into a config key", () => {
    for (const [alg, bytes] of [
      ["HS256", 32],
      ["HS384", 48],
      ["HS512", 64],
    ] as const) {
      const key = generateSigningKey(alg);
      expect(Buffer.from(key.secret, "base64url")).toHaveLength(bytes);
      expect(key).toMatchObject({ alg, secretEncoding: "base64url", configKey: { kid: key.kid, secret: key.secret } });
      expect(signingKeyInputSchema.safeParse(key.configKey).success).toBe(true);
      expect(createSecretKey(Buffer.from(key.secret, "base64url")).symmetricKeySize).toBe(bytes);
    }
    expect(generateSigningKey("HS256").secret).not.toBe(generateSigningKey("HS256").secret);
  });

  it("makes key pairs whose every export imports into node:crypto, jose and jsonwebtoken", async () => {
    for (const [alg, pair] of Object.entries(PAIRS)) {
      expect(signingKeyInputSchema.safeParse(pair.configKey).success).toBe(true);
      expect(createPrivateKey(pair.privateKeyPem).type).toBe("private");
      expect(createPrivateKey({ key: pair.privateJwk, format: "jwk" }).type).toBe("private");
      expect(createPublicKey(pair.publicKeyPem).export({ format: "jwk" })).toMatchObject({ kty: pair.publicJwk.kty });
      expect(createPublicKey({ key: pair.publicJwk, format: "jwk" }).type).toBe("public");
      await importPKCS8(pair.privateKeyPem, alg);
      await importSPKI(pair.publicKeyPem, alg);
      await importJWK(pair.publicJwk, alg);
      expect(pair.publicJwk).toMatchObject({ kid: pair.kid, alg, use: "sig" });
      expect(pair.publicJwk).not.toHaveProperty("d");
      expect(pair.kid).toBe(await calculateJwkThumbprint(pair.publicJwk));
      if (alg !== "EdDSA") {
        const token = jwt.sign({ a: 1 }, pair.privateKeyPem, { algorithm: alg as jwt.Algorithm });
        expect(jwt.verify(token, pair.publicKeyPem)).toMatchObject({ a: 1 });
      }
    }
  });

  it("uses RSA 2048, P-256 and Ed25519", () => {
    const details = (pem: string) => createPublicKey(pem);
    expect(details(PAIRS.RS256.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(details(PAIRS.ES256.publicKeyPem).asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(details(PAIRS.EdDSA.publicKeyPem).asymmetricKeyType).toBe("ed25519");
  });

  it("makes whsec_ secrets of 32 random bytes", () => {
    const { secret } = generateSigningKey("standard-webhooks");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
  });
});
