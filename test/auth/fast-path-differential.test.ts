import { createHmac, createSecretKey } from "node:crypto";
import fc from "fast-check";
import { type CryptoKey, decodeProtectedHeader, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { decodeCompactJwt } from "../../src/auth/decode-compact-jwt.js";
import { type NodeJwtOptions, signHmacJwt, verifyHmacJwt } from "../../src/auth/node-hmac-jwt.js";
import { createTokenVerifier } from "../../src/auth/verify-feedback-token.js";
import { b64u, NOW } from "./fixtures.js";

// The Node fast path is only allowed to exist if it accepts and rejects exactly what jose does.
// These properties generate thousands of valid and invalid tokens and compare both paths'
// outcomes: the claims on success; error class, code, message, claim and reason on failure.

const SECRET = new TextEncoder().encode("differential-secret-0123456789ab");
const OTHER = new TextEncoder().encode("another-secret-0123456789abcdefg");
const HS = ["HS256", "HS384", "HS512"] as const;
const nodeKey = createSecretKey(SECRET);
const cryptoKeys = new Map<string, CryptoKey>();
for (const alg of HS) {
  const hash = { name: "HMAC", hash: `SHA-${alg.slice(2)}` };
  cryptoKeys.set(alg, await crypto.subtle.importKey("raw", SECRET, hash, false, ["sign", "verify"]));
}

const joseKeyFor: JWTVerifyGetKey = (header) => cryptoKeys.get(String(header.alg)) as CryptoKey;

const time = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -700, max: 700 }).map((d) => NOW + d) },
  { weight: 1, arbitrary: fc.double({ min: NOW - 700, max: NOW + 700, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom("1750000000", null, true, [NOW], {}) },
);
const messyClaims = fc.record(
  {
    iss: fc.constantFrom("iss-a", "iss-b", 7, null),
    aud: fc.constantFrom("aud-a", "aud-b", ["aud-a", "x"], ["x"], [], 3),
    sub: fc.constantFrom("sub-a", "sub-b", 1),
    iat: time,
    exp: time,
    nbf: time,
    jti: fc.string(),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
// Mostly valid claims, near the edges of every time check, so that acceptance is well covered.
const nearlyValidClaims = fc.record({
  iss: fc.constant("iss-a"),
  aud: fc.constantFrom("aud-a", ["x", "aud-a"]),
  sub: fc.constant("sub-a"),
  iat: fc.integer({ min: -330, max: 70 }).map((d) => NOW + d),
  exp: fc.integer({ min: -70, max: 400 }).map((d) => NOW + d),
  jti: fc.uuid(),
  requestId: fc.string(),
});
const claims = fc.oneof({ weight: 3, arbitrary: nearlyValidClaims }, { weight: 2, arbitrary: messyClaims });
const header = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      { alg: fc.constantFrom(...HS), typ: fc.constant("JWT"), kid: fc.string({ maxLength: 8 }) },
      { requiredKeys: ["alg"] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        alg: fc.constantFrom("HS256", "RS256", "none", "", "hs256", 1, null),
        typ: fc.constantFrom("JWT", "jwt", 5),
        b64: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ alg: fc.constant("HS256"), crit: fc.constantFrom(["b64"], ["exp"], [], "x") }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);
/** A segment's bytes: usually the JSON text, sometimes with a BOM, odd JSON or random bytes. */
const segment = (json: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 12, arbitrary: json.map((v) => [v, Buffer.from(JSON.stringify(v) ?? "null")] as const) },
    { weight: 1, arbitrary: json.map((v) => [v, Buffer.from(`\uFEFF${JSON.stringify(v)}`)] as const) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"exp":1e400,"iat":1750000000}',
          '{"iat":-1e400}',
          '{"alg":"HS256","__proto__":{"crit":["b64"]}}',
          "[]",
          "",
          "{",
        )
        .map((t) => [undefined, Buffer.from(t)] as const),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => [undefined, Buffer.from(b)] as const) },
  );
const mutation = fc.oneof(
  { weight: 12, arbitrary: fc.constant("none") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "flip",
      "truncate",
      "pad",
      "space",
      "plus",
      "dot",
      "nonAscii",
      "empty",
      "len4n1",
      "dropSig",
    ),
  },
);

function mutate(token: string, how: string): string {
  const [h, p, s] = token.split(".") as [string, string, string];
  const flipped = s.length > 0 ? `${s.slice(0, -1)}${s.endsWith("A") ? "B" : "A"}` : "A";
  const map: Record<string, string> = {
    none: token,
    flip: `${h}.${p}.${flipped}`,
    truncate: `${h}.${p}.${s.slice(0, -2)}`,
    pad: `${h}.${p}=.${s}`,
    space: `${h}.${p}.${s.slice(0, 4)} ${s.slice(4)}`,
    plus: `${h}.${p.replace(/-/g, "+").replace(/_/g, "/")}.${s}`,
    dot: `${token}.`,
    nonAscii: `${h}.${p}é.${s}`,
    empty: `.${p}.${s}`,
    len4n1: `${h}.${p}.${s}A`,
    dropSig: `${h}.${p}.`,
  };
  return map[how] ?? token;
}

const rarely = fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const tokenArb = fc
  .record({ header: segment(header), payload: segment(claims), wrongAlg: rarely, wrongKey: rarely, mutation })
  .map(({ header: [h, headerBytes], payload: [, payloadBytes], wrongAlg, wrongKey, mutation: m }) => {
    const named = (h as { alg?: unknown } | undefined)?.alg;
    const alg = HS.find((a) => a === named && !wrongAlg) ?? (named === "HS384" ? "HS512" : "HS384");
    const input = `${b64u(headerBytes)}.${b64u(payloadBytes)}`;
    const mac = createHmac(`sha${alg.slice(2)}`, wrongKey ? OTHER : SECRET).update(input);
    return mutate(`${input}.${mac.digest("base64url")}`, m);
  });

const optionsArb = fc
  .record(
    {
      algorithms: fc.subarray(["HS256", "HS384", "HS512", "RS256"], { minLength: 1 }),
      issuer: fc.constantFrom("iss-a", ["iss-b", "iss-a"]),
      audience: fc.constantFrom("aud-a", ["aud-b", "aud-a"]),
      subject: fc.constant("sub-a"),
      requiredClaims: fc.constantFrom<string[]>(["exp"], []),
      clockTolerance: fc.integer({ min: 0, max: 60 }),
      maxTokenAge: fc.integer({ min: 1, max: 600 }),
    },
    { requiredKeys: ["algorithms", "clockTolerance", "maxTokenAge"] },
  )
  .map((o): NodeJwtOptions => o);
const currentDate = new Date(NOW * 1000);

type Outcome = { ok: unknown } | { error: Record<string, unknown> };
async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return { ok: await run() };
  } catch (e) {
    const { name, code, message, claim, reason } = e as Record<string, unknown>;
    return { error: { name, code, message, claim, reason } };
  }
}

describe("Node HS* fast path vs jose", () => {
  it("decodeCompactJwt reads the header jose's decodeProtectedHeader reads, or leaves the token to jose", async () => {
    let decodedCount = 0;
    await fc.assert(
      fc.property(tokenArb, (token) => {
        const decoded = decodeCompactJwt(token);
        if (decoded === undefined) return;
        decodedCount++;
        expect(decoded.header).toEqual(decodeProtectedHeader(token));
        expect(decoded.header).not.toHaveProperty("crit");
        expect([decoded.signingInput, decoded.payload, decoded.signature]).toEqual([
          token.split(".").slice(0, 2).join("."),
          token.split(".")[1],
          token.split(".")[2],
        ]);
      }),
      { numRuns: 5000 },
    );
    // Not vacuous: about three tokens in four decode (the rest are malformed or carry `crit`).
    expect(decodedCount).toBeGreaterThan(3300);
  });

  it("verifyHmacJwt accepts and rejects exactly what jose's jwtVerify does (5,000 tokens)", async () => {
    const tally = { compared: 0, accepted: 0, delegated: 0 };
    const rejections = new Set<unknown>();
    await fc.assert(
      fc.asyncProperty(tokenArb, optionsArb, async (token, options) => {
        const decoded = decodeCompactJwt(token);
        const alg = decoded?.header.alg;
        // What the fast path leaves to jose: tokens it does not decode, and allowed non-HS algorithms.
        const joseOnly =
          typeof alg === "string" && options.algorithms.includes(alg) && !(HS as readonly string[]).includes(alg);
        if (decoded === undefined || joseOnly) {
          tally.delegated++;
          return;
        }
        const fast = await outcome(() => verifyHmacJwt(decoded, nodeKey, options, NOW));
        const jose = await outcome(
          async () => (await jwtVerify(token, joseKeyFor, { ...options, currentDate })).payload,
        );
        expect(fast).toEqual(jose);
        tally.compared++;
        if ("ok" in jose) tally.accepted++;
        else rejections.add(jose.error.message);
      }),
      { numRuns: 5000 },
    );
    // The comparison must not be vacuous: most tokens take the fast path, and many are valid.
    // (Tokens whose header does not decode are jose's alone: the test above covers that split.)
    expect(tally.compared).toBeGreaterThan(3200);
    expect(tally.accepted).toBeGreaterThan(200);
    // …and the rejections span every check: header, alg, signature, JSON, each claim, each time.
    expect(rejections.size).toBeGreaterThanOrEqual(15);
  });

  it("createTokenVerifier gives the same result with and without the fast path (1,000 tokens)", async () => {
    const common = { secret: { kid: "k", secret: SECRET }, now: () => NOW * 1000, requireBodyHash: false } as const;
    const fast = createTokenVerifier({ ...common, nodeFastPath: true });
    const portable = createTokenVerifier({ ...common, nodeFastPath: false });
    const describe_ = async (run: Promise<unknown>) => {
      const o = await outcome(() => run);
      if ("ok" in o) return o;
      const { reason, message } = o.error as { reason: unknown; message: unknown };
      return { reason, message };
    };
    await fc.assert(
      fc.asyncProperty(tokenArb, async (token) => {
        expect(await describe_(fast(token, "{}"))).toEqual(await describe_(portable(token, "{}")));
      }),
      { numRuns: 1000 },
    );
  });

  it("signHmacJwt produces byte for byte what jose's SignJWT does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...HS), fc.string(), claims, async (alg, kid, payload) => {
        const head = { alg, typ: "JWT", kid };
        const viaJose = await new SignJWT(payload as JWTPayload)
          .setProtectedHeader(head)
          .sign(cryptoKeys.get(alg) as CryptoKey);
        expect(signHmacJwt(head, payload, nodeKey)).toBe(viaJose);
      }),
      { numRuns: 1000 },
    );
  });
});
