import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import fc from "fast-check";
import { type CryptoKey, importJWK, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { decodeCompactJwt } from "../../src/auth/decode-compact-jwt.js";
import type { NodeJwtOptions } from "../../src/auth/node-hmac-jwt.js";
import { nodePublicKey, verifyPublicKeyJwt } from "../../src/auth/node-public-key-jwt.js";
import { createTokenVerifier } from "../../src/auth/verify-feedback-token.js";
import { b64u, NOW } from "./fixtures.js";

// The ES256/EdDSA fast path may only exist if it accepts and rejects exactly what jose does:
// tokens signed by the right key, another key of the same type, the other algorithm's key, or
// nobody, with mutated signatures and claims near every time check.

type Alg = "ES256" | "EdDSA";
const pair = (alg: Alg) =>
  alg === "ES256" ? generateKeyPairSync("ec", { namedCurve: "P-256" }) : generateKeyPairSync("ed25519");
/** Per algorithm: the verifier's key pair and another of the same type. */
const KEYS = {
  ES256: { own: pair("ES256"), other: pair("ES256") },
  EdDSA: { own: pair("EdDSA"), other: pair("EdDSA") },
};
const joseKeys = new Map<Alg, CryptoKey>();
for (const alg of ["ES256", "EdDSA"] as const) {
  joseKeys.set(alg, (await importJWK(KEYS[alg].own.publicKey.export({ format: "jwk" }), alg)) as CryptoKey);
}
const nodeKeys = new Map<Alg, KeyObject>([...joseKeys].map(([alg, key]) => [alg, nodePublicKey(key)]));

function signWith(alg: Alg, key: KeyObject, input: string): string {
  const signature =
    alg === "ES256"
      ? sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" })
      : sign(null, Buffer.from(input), key);
  return signature.toString("base64url");
}

const mostly = <T>(usual: T, ...odd: T[]) =>
  fc.oneof({ weight: 4, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });
const claimsArb = fc.record(
  {
    iss: mostly<unknown>("iss-a", "iss-b", 7),
    aud: mostly<unknown>("aud-a", ["x", "aud-a"], "aud-b"),
    iat: fc.oneof(
      fc.integer({ min: -400, max: 70 }).map((d) => NOW + d),
      fc.constant("now"),
    ),
    exp: fc.integer({ min: -70, max: 400 }).map((d) => NOW + d),
    nbf: fc.integer({ min: -10, max: 60 }).map((d) => NOW + d),
    jti: fc.uuid(),
  },
  { requiredKeys: ["iss", "aud", "iat"] },
);
const headerArb = (alg: Alg) =>
  fc.record(
    { alg: mostly<unknown>(alg, "ES256", "EdDSA", "HS256", "RS256", "", 5), typ: fc.constant("JWT") },
    { requiredKeys: [] },
  );
const signerArb = mostly("same key", "other key", "other algorithm", "none");
const mutationArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant("none") },
  { weight: 1, arbitrary: fc.constantFrom("flip", "truncate", "extend", "zero", "empty") },
);

function mutate(signature: string, how: string): string {
  if (how === "flip") return `${signature.slice(0, 5)}${signature[5] === "A" ? "B" : "A"}${signature.slice(6)}`;
  if (how === "truncate") return signature.slice(0, -4);
  if (how === "extend") return `${signature}AAAA`;
  if (how === "zero") return "A".repeat(signature.length);
  if (how === "empty") return "";
  return signature;
}

const tokenArb = (verifierAlg: Alg) =>
  fc
    .record({ header: headerArb(verifierAlg), claims: claimsArb, signer: signerArb, mutation: mutationArb })
    .map(({ header, claims, signer, mutation }) => {
      const input = `${b64u(Buffer.from(JSON.stringify(header)))}.${b64u(Buffer.from(JSON.stringify(claims)))}`;
      const other: Alg = verifierAlg === "ES256" ? "EdDSA" : "ES256";
      const signature =
        signer === "same key"
          ? signWith(verifierAlg, KEYS[verifierAlg].own.privateKey, input)
          : signer === "other key"
            ? signWith(verifierAlg, KEYS[verifierAlg].other.privateKey, input)
            : signer === "other algorithm"
              ? signWith(other, KEYS[other].own.privateKey, input)
              : "";
      return `${input}.${mutate(signature, mutation)}`;
    });

const optionsArb = fc.record(
  {
    issuer: mostly<string | string[]>("iss-a", ["iss-b", "iss-a"], "iss-b"),
    audience: mostly<string | string[]>("aud-a", ["aud-b", "aud-a"]),
    requiredClaims: fc.constantFrom<string[]>(["exp"], []),
    clockTolerance: fc.integer({ min: 0, max: 60 }),
    maxTokenAge: fc.integer({ min: 1, max: 600 }),
  },
  { requiredKeys: ["clockTolerance", "maxTokenAge"] },
);

type Outcome = { ok: unknown } | { error: Record<string, unknown> };
async function outcome(run: () => unknown): Promise<Outcome> {
  try {
    return { ok: await run() };
  } catch (e) {
    const { name, code, message, claim, reason } = e as Record<string, unknown>;
    return { error: { name, code, message, claim, reason } };
  }
}

describe("Node ES256/EdDSA fast path vs jose", () => {
  for (const alg of ["ES256", "EdDSA"] as const) {
    it(`verifyPublicKeyJwt accepts and rejects exactly what jose's jwtVerify does (${alg}, 1,500 tokens)`, async () => {
      const tally = { compared: 0, accepted: 0 };
      const rejections = new Set<unknown>();
      await fc.assert(
        fc.asyncProperty(tokenArb(alg), optionsArb, async (token, claimOptions) => {
          // As the verifier prepares them: a key's options allow that key's algorithm only.
          const options: NodeJwtOptions = { ...claimOptions, algorithms: [alg] };
          const decoded = decodeCompactJwt(token);
          if (decoded === undefined) return;
          const key = nodeKeys.get(alg) as KeyObject;
          const fast = await outcome(() => verifyPublicKeyJwt(decoded, key, options, NOW));
          const currentDate = new Date(NOW * 1000);
          const jose = await outcome(async () => {
            return (await jwtVerify(token, joseKeys.get(alg) as CryptoKey, { ...options, currentDate })).payload;
          });
          expect(fast).toEqual(jose);
          tally.compared++;
          if ("ok" in jose) tally.accepted++;
          else rejections.add(jose.error.message);
        }),
        { numRuns: 1500 },
      );
      // All but the few one-character signatures (a flipped empty one): those are jose's alone.
      expect(tally.compared).toBeGreaterThan(1400);
      expect(tally.accepted).toBeGreaterThan(30);
      // Header, algorithm, signature, each claim, each time check.
      expect(rejections.size).toBeGreaterThanOrEqual(9);
    });
  }

  it("createTokenVerifier gives the same result with and without the fast path (ES256 and EdDSA)", async () => {
    for (const alg of ["ES256", "EdDSA"] as const) {
      const common = {
        publicKeys: [KEYS[alg].own.publicKey.export({ format: "pem", type: "spki" }).toString()],
        issuer: "iss-a",
        now: () => NOW * 1000,
        requireBodyHash: false,
      };
      const fast = createTokenVerifier({ ...common, nodeFastPath: true });
      const portable = createTokenVerifier({ ...common, nodeFastPath: false });
      const summary = async (run: Promise<unknown>) => {
        const o = await outcome(() => run);
        return "ok" in o ? o : { reason: o.error.reason, message: o.error.message };
      };
      await fc.assert(
        fc.asyncProperty(tokenArb(alg), async (token) => {
          expect(await summary(fast(token, "{}"))).toEqual(await summary(portable(token, "{}")));
        }),
        { numRuns: 500 },
      );
    }
  });
});
