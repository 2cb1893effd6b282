import { SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { nodeSecretKey, signHmacJwt } from "../../src/auth/node-hmac-jwt.js";
import { HS_SECRET } from "./fixtures.js";

const secret = new TextEncoder().encode(HS_SECRET);
const key = nodeSecretKey(secret);

afterEach(() => vi.restoreAllMocks());

describe("signHmacJwt — one header object, many tokens", () => {
  it("encodes a header object once, however many tokens it signs", () => {
    const header = { alg: "HS256", typ: "JWT", kid: "encode-once" };
    const stringify = vi.spyOn(JSON, "stringify");
    signHmacJwt(header, { n: 1 }, key);
    signHmacJwt(header, { n: 2 }, key);
    signHmacJwt(header, { n: 3 }, key);
    // Three payloads, one header.
    expect(stringify).toHaveBeenCalledTimes(4);
  });

  it("signs each token with the same header as jose does", async () => {
    const header = { alg: "HS256", typ: "JWT", kid: "k1" } as const;
    for (const claims of [
      { iss: "a", iat: 1 },
      { iss: "b", iat: 2, jti: "x" },
    ]) {
      const viaJose = await new SignJWT(claims).setProtectedHeader(header).sign(secret);
      expect(signHmacJwt(header, claims, key)).toBe(viaJose);
    }
  });

  it("keeps equal-looking header objects apart when they differ", async () => {
    const k1 = { alg: "HS256", typ: "JWT", kid: "k1" } as const;
    const k2 = { alg: "HS256", typ: "JWT", kid: "k2" } as const;
    const claims = { iss: "me" };
    signHmacJwt(k1, claims, key);
    const viaJose = await new SignJWT(claims).setProtectedHeader(k2).sign(secret);
    expect(signHmacJwt(k2, claims, key)).toBe(viaJose);
  });
});
