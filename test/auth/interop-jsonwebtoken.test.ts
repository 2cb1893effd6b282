import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import jwt, { type Algorithm } from "jsonwebtoken";
import { describe, expect, it } from "vitest";
import { createTokenVerifier } from "../../src/auth/verify-feedback-token.js";
import { b64u, BODY, config, HS_SECRET, ISSUER, jwtAuth, NOW, nowMs, PAIRS, signToken, URL_ } from "./fixtures.js";

const HMAC = ["HS256", "HS384", "HS512"] as const;
const ASYMMETRIC = ["RS256", "PS256", "ES256"] as const;
const bodyHash = createHash("sha256").update(BODY).digest("base64url");
const claims = {
  iss: ISSUER,
  aud: URL_,
  sub: "myImsOrg/prod",
  iat: NOW,
  exp: NOW + 300,
  requestId: "r1",
  body_sha256: bodyHash,
};
const verifyOptions = { issuer: ISSUER, audience: URL_, now: nowMs };
const jwtVerifyOptions = (algorithm: Algorithm) => ({
  algorithms: [algorithm],
  issuer: ISSUER,
  audience: URL_,
  clockTimestamp: NOW,
});

describe("interop with jsonwebtoken", () => {
  for (const alg of HMAC) {
    it(`${alg}: our tokens verify with jsonwebtoken, and jsonwebtoken's with ours`, async () => {
      const ours = await signToken({ cfg: config(jwtAuth(alg)) });
      expect(jwt.verify(ours, HS_SECRET, jwtVerifyOptions(alg))).toMatchObject({
        sub: "myImsOrg/prod",
        body_sha256: bodyHash,
      });
      const theirs = jwt.sign(claims, HS_SECRET, { algorithm: alg, keyid: "k1" });
      for (const nodeFastPath of [true, false]) {
        const verify = createTokenVerifier({ ...verifyOptions, secret: HS_SECRET, nodeFastPath });
        await expect(verify(theirs, BODY)).resolves.toMatchObject({ requestId: "r1" });
      }
    });
  }

  for (const alg of ASYMMETRIC) {
    it(`${alg}: our tokens verify with jsonwebtoken, and jsonwebtoken's with ours (keys from generateSigningKey)`, async () => {
      const pair = PAIRS[alg];
      const ours = await signToken({ cfg: config(jwtAuth(alg)) });
      expect(jwt.verify(ours, pair.publicKeyPem, jwtVerifyOptions(alg))).toMatchObject({ iss: ISSUER });
      expect(
        jwt.verify(ours, createPublicKey({ key: pair.publicJwk, format: "jwk" }), jwtVerifyOptions(alg)),
      ).toBeTruthy();
      const theirs = jwt.sign(claims, pair.privateKeyPem, { algorithm: alg, keyid: pair.kid });
      for (const publicKey of [pair.publicKeyPem, pair.publicJwk]) {
        await expect(createTokenVerifier({ ...verifyOptions, publicKey })(theirs, BODY)).resolves.toMatchObject(claims);
      }
      // jsonwebtoken also signs with a KeyObject imported from our private JWK.
      const fromJwk = jwt.sign(claims, createPrivateKey({ key: pair.privateJwk, format: "jwk" }), { algorithm: alg });
      await expect(
        createTokenVerifier({ ...verifyOptions, publicKey: pair.publicKeyPem })(fromJwk, BODY),
      ).resolves.toBeDefined();
    });
  }

  it("EdDSA (jsonwebtoken lacks it): our tokens verify with node:crypto, and node:crypto-signed ones with ours", async () => {
    const pair = PAIRS.EdDSA;
    const ours = await signToken({ cfg: config(jwtAuth("EdDSA")) });
    const [header, payload, signature] = ours.split(".") as [string, string, string];
    const publicKey = createPublicKey(pair.publicKeyPem);
    expect(nodeVerify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, "base64url"))).toBe(
      true,
    );
    const input = `${b64u(JSON.stringify({ alg: "EdDSA", typ: "JWT" }))}.${b64u(JSON.stringify(claims))}`;
    const theirs = `${input}.${nodeSign(null, Buffer.from(input), createPrivateKey(pair.privateKeyPem)).toString("base64url")}`;
    for (const key of [pair.publicKeyPem, pair.publicJwk, publicKey]) {
      await expect(createTokenVerifier({ ...verifyOptions, publicKey: key })(theirs, BODY)).resolves.toMatchObject(
        claims,
      );
    }
  });
});
