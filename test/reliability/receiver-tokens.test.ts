import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryDedupeStore } from "../../src/receiver/index.js";
import { type SignedTestPayload, signTestPayload, type TestKey, testKeys } from "../../src/testing/index.js";
import { recordFigures } from "./helpers/figures.js";
import { expectRefusedOrHandled, hostileTarget, post, RUNS, VALID_TEXT, TIMEOUT } from "./helpers/hostile.js";

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const b64 = (json: object) => Buffer.from(JSON.stringify(json)).toString("base64url");
const decode = (segment: string) => Buffer.from(segment, "base64url");

/** One way to tamper with a compact JWT. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant("substitute" as const),
    at: fc.nat(),
    char: fc.constantFrom(...`${B64URL}.=+/ é\u0000`),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), char: fc.constantFrom(...`${B64URL}.=`) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const) }),
  fc.record({ kind: fc.constant("drop-signature" as const) }),
  fc.record({
    kind: fc.constant("header" as const),
    alg: fc.constantFrom("none", "HS512", "RS256", "ES256", "EdDSA", "hs256", ""),
  }),
  fc.record({
    kind: fc.constant("claim" as const),
    claim: fc.constantFrom("exp", "iat", "aud", "iss", "sub", "body_sha256", "jti", "nbf", "requestId"),
    value: fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.constant(9_999_999_999)),
  }),
);

function tamper(token: string, m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): string {
  const [h = "", p = "", s = ""] = token.split(".");
  switch (m.kind) {
    case "substitute": {
      const i = m.at % token.length;
      return token.slice(0, i) + m.char + token.slice(i + 1);
    }
    case "delete": {
      const i = m.at % token.length;
      return token.slice(0, i) + token.slice(i + 1);
    }
    case "insert": {
      const i = m.at % (token.length + 1);
      return token.slice(0, i) + m.char + token.slice(i);
    }
    case "truncate":
      return token.slice(0, m.at % token.length);
    case "swap":
      return `${p}.${h}.${s}`;
    case "drop-signature":
      return `${h}.${p}.`;
    case "header":
      return `${b64({ ...JSON.parse(decode(h).toString()), alg: m.alg })}.${p}.${m.alg === "none" ? "" : s}`;
    case "claim":
      return `${h}.${b64({ ...JSON.parse(decode(p).toString()), [m.claim]: m.value })}.${s}`;
  }
}

/** True when a tampered token still carries the very same header, claims and signature bytes. */
function sameBytes(original: string, tampered: string): boolean {
  const a = original.split(".");
  const b = tampered.split(".");
  return b.length === 3 && a.every((segment, i) => decode(segment).equals(decode(b[i]!)));
}

function isHeaderValue(value: string): boolean {
  try {
    new Headers({ authorization: value });
    return true;
  } catch {
    return false;
  }
}

async function tokenProperty(key: TestKey, label: string, runs: number) {
  const target = hostileTarget({ auth: key.receiverAuth });
  let n = 0;
  let equivalentAccepted = 0;
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const payload = await signTestPayload(VALID_TEXT, { key });
      const token = payload.headers.authorization!.slice("Bearer ".length);
      const forged = tamper(token, m);
      fc.pre(forged !== token);
      fc.pre(isHeaderValue(`Bearer ${forged}`)); // a NUL never gets through an HTTP stack
      n += 1;
      const equivalent = sameBytes(token, forged);
      const status = await expectRefusedOrHandled(
        target,
        post(VALID_TEXT, { ...payload.headers, authorization: `Bearer ${forged}` }),
        equivalent ? [200, 401] : [401],
      );
      if (status === 200) equivalentAccepted += 1;
    }),
    { numRuns: runs },
  );
  recordFigures({
    scenario: `mutated tokens (${label})`,
    sent: n,
    delivered: equivalentAccepted,
    dead: 0,
    duplicated: 0,
    lost: 0,
    notes: `every token with other bytes refused 401; ${equivalentAccepted} accepted were re-encodings of the same bytes`,
  });
}

describe("mutated tokens (property-based): any change to the header, claims or signature is 401 and no handler runs", {
  timeout: TIMEOUT(60_000),
}, () => {
  it("HS256 (node:crypto fast path and jose)", () => tokenProperty(testKeys.hs256, "HS256", RUNS(1500)));
  it("ES256 (jose, Web Crypto)", () => tokenProperty(testKeys.es256, "ES256", RUNS(500, 5000)));

  it("Standard Webhooks: a changed signature, timestamp or id is 401", async () => {
    const key = testKeys.standardWebhooks;
    const target = hostileTarget({ auth: key.receiverAuth });
    let n = 0;
    let equivalentAccepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("webhook-signature", "webhook-timestamp", "webhook-id"),
        fc.nat(),
        fc.constantFrom(...`${B64URL}+/=,. 1`),
        async (header, at, char) => {
          const payload = await signTestPayload(VALID_TEXT, { key });
          const value = payload.headers[header]!;
          const i = at % value.length;
          const changed = value.slice(0, i) + char + value.slice(i + 1);
          fc.pre(changed !== value);
          n += 1;
          const status = await expectRefusedOrHandled(
            target,
            post(VALID_TEXT, { ...payload.headers, [header]: changed }),
            [401, 200],
          );
          if (status === 200) {
            equivalentAccepted += 1;
            // Only a signature that still decodes to the same bytes may pass (unused low bits of
            // the last base64 character, a dropped "=" pad): the bytes are what is verified.
            expect(header).toBe("webhook-signature");
            const original = Buffer.from(value.split(",")[1]!, "base64");
            const same = changed
              .split(" ")
              .some((part) => part.startsWith("v1,") && Buffer.from(part.slice(3), "base64").equals(original));
            expect(same, changed).toBe(true);
          }
        },
      ),
      { numRuns: RUNS(1000) },
    );
    recordFigures({
      scenario: "mutated Standard Webhooks headers",
      sent: n,
      delivered: equivalentAccepted,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: `every change of the signed bytes refused 401; ${equivalentAccepted} accepted were re-encodings of the same signature bytes`,
    });
  });
});

describe("replayed tokens (property-based): with a dedupe store each token is used once, whatever else changes", {
  timeout: TIMEOUT(60_000),
}, () => {
  it("replays in any order, even with another webhook-id or webhook-attempt, are 401 replay; handlers run once per token", async () => {
    let n = 0;
    let replays = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ pick: fc.nat({ max: 3 }), change: fc.constantFrom("none", "webhook-id", "attempt") }), {
          minLength: 1,
          maxLength: 25,
        }),
        async (sends) => {
          const target = hostileTarget({
            auth: testKeys.hs256.receiverAuth,
            dedupe: { store: createMemoryDedupeStore() },
          });
          const pool: SignedTestPayload[] = [];
          for (let i = 0; i < 4; i++) pool.push(await signTestPayload(VALID_TEXT, { key: testKeys.hs256 }));
          const used = new Set<number>();
          for (const { pick, change } of sends) {
            const payload = pool[pick]!;
            const headers = { ...payload.headers };
            if (change === "webhook-id") headers["webhook-id"] = crypto.randomUUID();
            if (change === "attempt") headers["webhook-attempt"] = "2";
            n += 1;
            const response = await target.receiver.handle(post(payload.body, headers));
            if (used.has(pick)) {
              replays += 1;
              expect(response.status).toBe(401);
              expect(((await response.json()) as { reason: string }).reason).toBe("replay");
            } else {
              expect(response.status).toBe(200);
              used.add(pick);
            }
          }
          expect(target.handled).toHaveLength(used.size);
        },
      ),
      { numRuns: RUNS(300, 3000) },
    );
    recordFigures({
      scenario: "replayed tokens",
      sent: n,
      delivered: n - replays,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: `${replays} replays refused 401 replay; handlers ran once per token`,
    });
  });

  it("20 concurrent copies of one token: exactly one is accepted", async () => {
    const target = hostileTarget({ auth: testKeys.hs256.receiverAuth, dedupe: { store: createMemoryDedupeStore() } });
    const payload = await signTestPayload(VALID_TEXT, { key: testKeys.hs256 });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        target.receiver.handle(post(payload.body, payload.headers)).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    expect(target.handled).toHaveLength(1);
  });

  it("a valid token with another body is 401 (body_sha256), never a handler call", async () => {
    const target = hostileTarget({ auth: testKeys.hs256.receiverAuth });
    const payload = await signTestPayload(VALID_TEXT, { key: testKeys.hs256 });
    const other = VALID_TEXT.replace('"bounce"', '"delivered"').replace(
      /,"messageFailure":\{[^}]*\}/,
      ',"messageFailure":null',
    );
    const response = await target.receiver.handle(post(other, payload.headers));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { reason: string }).reason).toBe("body_mismatch");
    expect(target.handled).toHaveLength(0);
  });
});
