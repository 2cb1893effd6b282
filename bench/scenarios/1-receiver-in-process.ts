import { createHash, createHmac, createPublicKey, createSecretKey, timingSafeEqual } from "node:crypto";
import { importJWK, jwtVerify } from "jose";
import jsonwebtoken from "jsonwebtoken";
import { Webhook } from "standardwebhooks";
import { generateSigningKey } from "../../src/auth/index.js";
import { createReceiver, type Receiver } from "../../src/receiver/index.js";
import { parseFeedbackEvent } from "../../src/schemas/index.js";
import { signTestPayload, type TestKey } from "../../src/testing/index.js";
import { AUDIENCE, hs256Credential, ISSUER, sampleEvents } from "../harness/fixtures.js";
import { fmt, fmtRatio, fmtSummary } from "../harness/format.js";
import type { ScenarioOutput, TargetCheck } from "../harness/results.js";
import { ratioOf, summarize } from "../harness/stats.js";
import type { Scenario, ScenarioContext } from "../harness/scenario.js";
import { interleaveOps, type OpContender, type Rate } from "../harness/throughput.js";

/** A signed delivery as a Node server sees it: IncomingHttpHeaders-like record and the raw bytes. */
interface Delivery {
  headers: Record<string, string>;
  body: Buffer;
  token: string;
}

const POOL = 16;

// What a Node server hands over besides the SDK's own headers.
const TRANSPORT_HEADERS = { host: "127.0.0.1:3000", connection: "keep-alive", accept: "*/*" };

async function signedPool(key: TestKey, bodies: string[]): Promise<Delivery[]> {
  return Promise.all(
    bodies.map(async (body) => {
      const signed = await signTestPayload(body, { key, url: AUDIENCE });
      const headers: Record<string, string> = {
        ...TRANSPORT_HEADERS,
        ...signed.headers,
        "content-length": String(Buffer.byteLength(body)),
      };
      return { headers, body: Buffer.from(body), token: headers.authorization!.slice("Bearer ".length) };
    }),
  );
}

function asymmetricKey(alg: "ES256" | "EdDSA") {
  const key = generateSigningKey(alg);
  const testKey: TestKey = {
    senderAuth: { type: "jwt", algorithm: alg, issuer: ISSUER, audience: AUDIENCE, keys: [key.configKey] },
    receiverAuth: { type: "jwt", publicKey: key.publicJwk, issuer: ISSUER, audience: AUDIENCE },
  };
  return { key, testKey };
}

/** Cycles through the pool so no single input stays hot in a cache. */
function cycling<T>(pool: readonly T[], op: (item: T) => unknown): () => unknown {
  let i = 0;
  return () => op(pool[i++ % pool.length]!);
}

function bodyHashMatches(claims: unknown, body: Buffer): void {
  const claimed = (claims as { body_sha256?: unknown }).body_sha256;
  if (claimed !== createHash("sha256").update(body).digest("base64url")) throw new Error("body hash mismatch");
}

async function run(ctx: ScenarioContext): Promise<ScenarioOutput> {
  const ms = ctx.size(1000, 200);
  const bodies = sampleEvents(POOL).map((e) => JSON.stringify(e));
  const hs = hs256Credential();
  const hsKey: TestKey = { senderAuth: hs.senderAuth, receiverAuth: hs.receiverAuth };
  const hsPool = await signedPool(hsKey, bodies);
  const secretBytes = Buffer.from(hs.secret, "base64url");
  const secretKeyObject = createSecretKey(secretBytes);
  const joseKey = await crypto.subtle.importKey("raw", secretBytes, { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);

  // The floor: an HMAC over the body in a header (as every HMAC webhook scheme does), then the same parse + schema.
  const floorPool = bodies.map((body) => ({
    body: Buffer.from(body),
    signature: createHmac("sha256", secretKeyObject).update(body).digest("base64"),
  }));
  // Standard Webhooks: HMAC over id.timestamp.body, its own JSON.parse, then the schema.
  const whSecret = generateSigningKey("standard-webhooks").secret;
  const wh = new Webhook(whSecret);
  const whPool = bodies.map((body, i) => {
    const id = `msg_${i}`;
    const now = new Date();
    return {
      body,
      headers: {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": wh.sign(id, now, body),
      },
    };
  });

  const receiver = createReceiver({ auth: hs.receiverAuth });
  const receiverJose = createReceiver({ auth: { ...hs.receiverAuth, nodeFastPath: false } as typeof hs.receiverAuth });
  await Promise.all([receiver.ready(), receiverJose.ready()]);
  const verifyWith = (r: Receiver) => cycling(hsPool, (d) => r.verify({ headers: d.headers, body: d.body }));
  const jwtOptions = { algorithms: ["HS256" as const], issuer: ISSUER, audience: AUDIENCE, maxAge: 300 };
  const joseOptions = { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE, maxTokenAge: 300 };

  const hmacGroup: OpContender[] = [
    {
      name: "floor: node:crypto HMAC + JSON.parse + schema",
      op: cycling(floorPool, ({ body, signature }) => {
        const expected = createHmac("sha256", secretKeyObject).update(body).digest();
        const given = Buffer.from(signature, "base64");
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("bad signature");
        return parseFeedbackEvent(body);
      }),
    },
    { name: "receiver.verify HS256", op: verifyWith(receiver) },
    { name: "receiver.verify HS256, nodeFastPath: false (jose)", op: verifyWith(receiverJose) },
    {
      name: "standardwebhooks Webhook.verify + schema",
      op: cycling(whPool, ({ body, headers }) => parseFeedbackEvent(wh.verify(body, headers))),
    },
    {
      name: "jsonwebtoken.verify (Buffer secret) + body hash + schema",
      op: cycling(hsPool, ({ token, body }) => {
        bodyHashMatches(jsonwebtoken.verify(token, secretBytes, jwtOptions), body);
        return parseFeedbackEvent(body);
      }),
    },
    {
      name: "jsonwebtoken.verify (KeyObject) + body hash + schema",
      op: cycling(hsPool, ({ token, body }) => {
        bodyHashMatches(jsonwebtoken.verify(token, secretKeyObject, jwtOptions), body);
        return parseFeedbackEvent(body);
      }),
    },
    {
      name: "jose jwtVerify HS256 alone (CryptoKey)",
      op: cycling(hsPool, ({ token }) => jwtVerify(token, joseKey, joseOptions)),
    },
    {
      name: "parseFeedbackEvent alone (JSON.parse + schema)",
      op: cycling(hsPool, ({ body }) => parseFeedbackEvent(body)),
    },
  ];

  // Asymmetric algorithms: the receiver and jose alone (jsonwebtoken for ES256; it has no EdDSA).
  const es = asymmetricKey("ES256");
  const ed = asymmetricKey("EdDSA");
  const [esPool, edPool] = await Promise.all([signedPool(es.testKey, bodies), signedPool(ed.testKey, bodies)]);
  const esReceiver = createReceiver({ auth: es.testKey.receiverAuth });
  const edReceiver = createReceiver({ auth: ed.testKey.receiverAuth });
  await Promise.all([esReceiver.ready(), edReceiver.ready()]);
  const esJose = await importJWK(es.key.publicJwk, "ES256");
  const edJose = await importJWK(ed.key.publicJwk, "EdDSA");
  const esPem = createPublicKey(es.key.publicKeyPem);
  const asymGroup: OpContender[] = [
    {
      name: "receiver.verify ES256",
      op: cycling(esPool, (d) => esReceiver.verify({ headers: d.headers, body: d.body })),
    },
    {
      name: "receiver.verify EdDSA",
      op: cycling(edPool, (d) => edReceiver.verify({ headers: d.headers, body: d.body })),
    },
    {
      name: "jose jwtVerify ES256 alone",
      op: cycling(esPool, ({ token }) => jwtVerify(token, esJose, { ...joseOptions, algorithms: ["ES256"] })),
    },
    {
      name: "jose jwtVerify EdDSA alone",
      op: cycling(edPool, ({ token }) => jwtVerify(token, edJose, { ...joseOptions, algorithms: ["EdDSA"] })),
    },
    {
      name: "jsonwebtoken.verify ES256 (KeyObject) + body hash + schema",
      op: cycling(esPool, ({ token, body }) => {
        bodyHashMatches(jsonwebtoken.verify(token, esPem, { ...jwtOptions, algorithms: ["ES256"] }), body);
        return parseFeedbackEvent(body);
      }),
    },
  ];

  const options = { rounds: ctx.rounds, msPerRound: ms, slices: ctx.size(20, 8) };
  const hmacRates = await interleaveOps(hmacGroup, { ...options, label: "HMAC" });
  const asymRates = await interleaveOps(asymGroup, { ...options, label: "asym" });
  const pick = (rates: Map<string, Rate[]>, key: keyof Rate) =>
    new Map([...rates].map(([n, v]) => [n, v.map((x) => x[key])]));
  const hmac = pick(hmacRates, "cpu");
  const asym = pick(asymRates, "cpu");
  const hmacWall = pick(hmacRates, "wall");
  const asymWall = pick(asymRates, "wall");

  const floorName = hmacGroup[0]!.name;
  const floor = hmac.get(floorName)!;
  const ours = hmac.get("receiver.verify HS256")!;
  const rows = (cpu: Map<string, number[]>, wall: Map<string, number[]>, base: string) =>
    [...cpu].map(([name, samples]) => [
      name,
      fmtSummary(summarize(samples)),
      fmt(1e6 / summarize(samples).median, 1),
      fmtSummary(summarize(wall.get(name)!)),
      name === base ? "1.00×" : fmtRatio(ratioOf(samples, cpu.get(base) ?? hmac.get(base)!)),
      name === base ? "1.00×" : fmtRatio(ratioOf(wall.get(name)!, wall.get(base) ?? hmacWall.get(base)!)),
    ]);
  const ratio = (name: string) => ratioOf(ours, hmac.get(name)!);
  // `ahead`: strictly faster; otherwise at least `min` times the other's throughput.
  const check = (id: string, what: string, name: string, min: number | "ahead"): TargetCheck => {
    const r = name === "floor" ? ratioOf(ours, floor) : ratio(name);
    const target = min === "ahead" ? "> 1× (ahead)" : `≥ ${min}×`;
    return { id, what, target, measured: fmtRatio(r), met: min === "ahead" ? r.median > 1 : r.median >= min };
  };
  const targets: TargetCheck[] = [
    check("1a", "receiver.verify HS256 vs the floor", "floor", 0.5),
    check(
      "1b",
      "receiver.verify HS256 vs standardwebhooks + schema",
      "standardwebhooks Webhook.verify + schema",
      "ahead",
    ),
    check(
      "1c",
      "receiver.verify HS256 vs jsonwebtoken (Buffer secret)",
      "jsonwebtoken.verify (Buffer secret) + body hash + schema",
      "ahead",
    ),
    check(
      "1d",
      "receiver.verify HS256 vs jsonwebtoken (KeyObject)",
      "jsonwebtoken.verify (KeyObject) + body hash + schema",
      "ahead",
    ),
  ];
  const bodyBytes = bodies.map((b) => Buffer.byteLength(b));
  return {
    tables: [
      {
        title: "HS256 and HMAC: verifications per second, in process",
        headers: ["contender", "ops per CPU-s", "CPU µs/op", "ops per wall-s", "vs floor (CPU)", "vs floor (wall)"],
        rows: rows(hmac, hmacWall, floorName),
      },
      {
        title: "ES256 and EdDSA: verifications per second, in process",
        headers: [
          "contender",
          "ops per CPU-s",
          "CPU µs/op",
          "ops per wall-s",
          "vs receiver HS256 (CPU)",
          "vs receiver HS256 (wall)",
        ],
        rows: rows(asym, asymWall, "receiver.verify HS256"),
      },
    ],
    targets,
    notes: [
      `Each contender verifies the same ${POOL} signed deliveries in turn (bodies of ${Math.min(...bodyBytes)}–${Math.max(...bodyBytes)} bytes, ` +
        `a mix of statuses), back to back for ${ms} ms per round in total, cut into ${options.slices} slices that alternate ` +
        "between the contenders. **ops per CPU-s** divides by this process's CPU time (user + system, GC threads included): " +
        "the rate of one undisturbed core, robust to neighbours on a shared machine; targets use it, and the wall-clock " +
        "rate is shown beside it. `receiver.verify` gets what a Node server has: the " +
        "`IncomingHttpHeaders`-like record and the raw bytes; it checks the JWT (signature, `iss`, `aud`, `exp`, `iat` age), " +
        "`body_sha256`, then `JSON.parse` and the schema. The floor is an HMAC-SHA256 over the body in a header, then " +
        "`parseFeedbackEvent` (the very same JSON.parse + schema). The jsonwebtoken contenders check the same claims and " +
        'the body hash, so all do the same work; Standard Webhooks signs the body inherently. "alone" lines are the JWT ' +
        "library by itself, no body hash and no schema.",
    ],
    raw: { hmac: Object.fromEntries(hmacRates), asym: Object.fromEntries(asymRates) },
  };
}

export const receiverInProcess: Scenario = { id: 1, title: "Receiver, in process", run };
