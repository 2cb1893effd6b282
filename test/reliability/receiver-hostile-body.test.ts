import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { signTestPayload, testKeys } from "../../src/testing/index.js";
import { recordFigures } from "./helpers/figures.js";
import {
  expectRefusedOrHandled,
  hasForeignPrototype,
  hasProtoKey,
  hostileTarget,
  post,
  RUNS,
  signBytes,
  VALID_EVENT,
  VALID_TEXT,
  TIMEOUT,
} from "./helpers/hostile.js";

const encoder = new TextEncoder();
const none = () => hostileTarget({ auth: { type: "none" } });
const jwt = () => hostileTarget({ auth: testKeys.hs256.receiverAuth });

/** `body` signed exactly as the dispatcher would sign it, as a request. */
async function signed(body: string | Uint8Array): Promise<Request> {
  return post(body, await signBytes(body, testKeys.hs256));
}

/** Counts requests per property for RELIABILITY.md. */
function tally(scenario: string, sent: number, accepted: number, notes: string) {
  recordFigures({ scenario, sent, delivered: accepted, dead: 0, duplicated: 0, lost: 0, notes });
}

describe("hostile bodies (property-based): the receiver never crashes or hangs, answers the documented status with a typed error, and never runs a handler for a refused input", {
  timeout: TIMEOUT(60_000),
}, () => {
  it("random bytes: 400 or 422, unsigned or signed over exactly those bytes", async () => {
    const plain = none();
    const verified = jwt();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        n += 1;
        await expectRefusedOrHandled(plain, post(bytes), [400, 422]);
        await expectRefusedOrHandled(verified, await signed(bytes), [400, 422]);
      }),
      { numRuns: RUNS(1500) },
    );
    expect(plain.handled.length + verified.handled.length).toBe(0);
    tally("random bytes", 2 * n, 0, "unsigned (auth none) and validly signed (JWT): all 400/422");
  });

  it("random JSON values: 422 unless they are a feedback event", async () => {
    const target = none();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (value) => {
        n += 1;
        await expectRefusedOrHandled(target, post(JSON.stringify(value) ?? "null"), [422]);
      }),
      { numRuns: RUNS(1500) },
    );
    tally("random JSON values", n, 0, "all 422 with issues");
  });

  it("truncated valid bodies: 400 unsigned; 401 with the original token (the body hash no longer matches)", async () => {
    const plain = none();
    const verified = jwt();
    const original = await signTestPayload(VALID_TEXT, { key: testKeys.hs256 });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: VALID_TEXT.length - 1 }), async (length) => {
        n += 1;
        const cut = VALID_TEXT.slice(0, length);
        await expectRefusedOrHandled(plain, post(cut), [400]);
        await expectRefusedOrHandled(verified, post(cut, original.headers), [401]);
      }),
      { numRuns: RUNS(1000) },
    );
    tally("truncated valid bodies", 2 * n, 0, "unsigned: 400; with the original token: 401 body_mismatch");
  });

  it("mutated valid bodies: with the original token always 401; unsigned 200 only when still a valid event", async () => {
    const plain = none();
    const verified = jwt();
    const original = await signTestPayload(VALID_TEXT, { key: testKeys.hs256 });
    const valid = encoder.encode(VALID_TEXT);
    let n = 0;
    let accepted = 0;
    const mutation = fc.array(
      fc.record({ at: fc.nat({ max: valid.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (changes) => {
        const bytes = new Uint8Array(valid);
        for (const { at, byte } of changes) bytes[at] = byte;
        fc.pre(!Buffer.from(bytes).equals(Buffer.from(valid)));
        n += 1;
        const status = await expectRefusedOrHandled(plain, post(bytes), [200, 400, 422]);
        if (status === 200) {
          accepted += 1;
          // Accepted only if it is still UTF-8 JSON (a letter changed inside a string, say).
          expect(() => JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes))).not.toThrow();
        }
        await expectRefusedOrHandled(verified, post(bytes, original.headers), [401]);
      }),
      { numRuns: RUNS(2000) },
    );
    tally(
      "mutated valid bodies",
      2 * n,
      accepted,
      "with the original token: all 401; unsigned: 200 only for still-valid events",
    );
  });

  it(
    "deep nesting up to 100,000 levels: never a stack overflow; 200 where the schema allows any JSON, else 422",
    async () => {
      const target = hostileTarget({ auth: { type: "none" }, maxBodyBytes: 2_000_000 });
      const nest = (depth: number, kind: "array" | "object" | "mixed") => {
        const open = kind === "array" ? "[" : kind === "object" ? '{"a":' : '[{"a":';
        const close = kind === "array" ? "]" : kind === "object" ? "}" : "}]";
        const reps = kind === "mixed" ? Math.ceil(depth / 2) : depth;
        return open.repeat(reps) + (kind === "array" ? "" : "1") + close.repeat(reps);
      };
      const where = {
        root: (v: string) => v,
        offers: (v: string) => VALID_TEXT.replace('"offers":null', `"offers":${v}`),
        extra: (v: string) => `${VALID_TEXT.slice(0, -1)},"extra":${v}}`,
        reason: (v: string) => VALID_TEXT.replace(/"reason":"[^"]*"/, `"reason":${v}`),
        identityMap: (v: string) => VALID_TEXT.replace(/"identityMap":\{.*\}\}$/, `"identityMap":${v}}`),
      };
      const expected = { root: [422], offers: [200], extra: [200], reason: [422], identityMap: [422] };
      // Something unrelated elsewhere in the body: a \u escape (what Python's json.dumps writes for
      // any non-ASCII letter) or a __proto__ key. The answer must not depend on it.
      const elsewhere = {
        nothing: (text: string) => text,
        escape: (text: string) => text.replace('"requestId":"', '"requestId":"\\u0068'),
        proto: (text: string) => (text.startsWith("{") ? `{"__proto__":{"x":1},${text.slice(1)}` : text),
      };
      let n = 0;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 2000, max: 100_000 }), fc.constant(100_000)),
          fc.constantFrom("array" as const, "object" as const, "mixed" as const),
          fc.constantFrom(...(Object.keys(where) as Array<keyof typeof where>)),
          fc.constantFrom(...(Object.keys(elsewhere) as Array<keyof typeof elsewhere>)),
          async (depth, kind, place, extra) => {
            n += 1;
            const body = elsewhere[extra](where[place](nest(depth, kind)));
            const status = await expectRefusedOrHandled(target, post(body), expected[place]);
            if (status === 200) accepted += 1;
          },
        ),
        {
          numRuns: RUNS(60, 1000),
          examples: [
            [100_000, "array", "offers", "nothing"],
            [100_000, "object", "extra", "nothing"],
            [100_000, "mixed", "root", "nothing"],
            [100_000, "array", "offers", "escape"],
          ],
        },
      );
      tally(
        "deep nesting (≤ 100k levels)",
        n,
        accepted,
        "no RangeError, no 500; any-JSON fields (offers, extras) accepted",
      );
    },
    TIMEOUT(120_000),
  );

  it(
    "huge strings: 413 past maxBodyBytes, else 200/422 — and the problem body never echoes them",
    async () => {
      const target = none();
      const fields = {
        reason: (s: string) => VALID_TEXT.replace(/"reason":"[^"]*"/, `"reason":"${s}"`),
        requestId: (s: string) => VALID_TEXT.replace(/"requestId":"[^"]*"/, `"requestId":"${s}"`),
        identity: (s: string) => VALID_TEXT.replace(/"id":"[^"]*@[^"]*"/, `"id":"${s}@example.com"`),
        extraKey: (s: string) => `${VALID_TEXT.slice(0, -1)},"${s}":1}`,
        unicode: (s: string) =>
          VALID_TEXT.replace(
            /"reason":"[^"]*"/,
            `"reason":"${"\\ud83d\\ude00\\ud800".repeat(Math.ceil(s.length / 18))}"`,
          ),
      };
      let n = 0;
      let tooLarge = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 200_000, max: 600_000 })),
          fc.constantFrom(...(Object.keys(fields) as Array<keyof typeof fields>)),
          async (size, field) => {
            n += 1;
            const body = fields[field]("x".repeat(size));
            const status = await expectRefusedOrHandled(target, post(body), [200, 413, 422]);
            if (status === 413) tooLarge += 1;
            expect(status === 413).toBe(encoder.encode(body).byteLength > 256 * 1024);
          },
        ),
        { numRuns: RUNS(150, 2000) },
      );
      tally("huge strings", n, n - tooLarge, `${tooLarge} refused 413 (over 256 KiB), the rest 200/422`);
    },
    TIMEOUT(60_000),
  );

  /** The valid event with own `__proto__` / `constructor` / `prototype` keys injected, as JSON text. */
  const PLACES = [
    "",
    "sandbox",
    "messageExecution",
    "messageDeliveryFeedback",
    "messageDeliveryFeedback.feedbackStatus",
    "messageDeliveryFeedback.messageFailure",
    "messageDeliveryFeedback.offers",
    "identityMap",
    "identityMap.email.0",
    "extra",
  ];
  const poison = fc.oneof(
    fc.constant({ polluted: "yes" }),
    fc.constant({ prototype: { polluted: "yes" } }),
    fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"}}') as unknown),
    fc.constant([{ polluted: "yes" }]),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const injections = fc.array(
    fc.tuple(fc.constantFrom(...PLACES), fc.constantFrom("__proto__", "constructor", "prototype"), poison),
    {
      minLength: 1,
      maxLength: 4,
    },
  );
  function inject(list: ReadonlyArray<readonly [string, string, unknown]>): string {
    const event = structuredClone(VALID_EVENT) as unknown as Record<string, unknown>;
    (event.messageDeliveryFeedback as Record<string, unknown>).offers = {};
    event.extra = {};
    for (const [place, key, value] of list) {
      let at: Record<string, unknown> = event;
      for (const step of place.split(".").filter(Boolean)) at = at[step] as Record<string, unknown>;
      // An own "__proto__" property, as JSON.parse creates from the text.
      Object.defineProperty(at, key, { value, enumerable: true, configurable: true, writable: true });
    }
    return JSON.stringify(event);
  }

  it("__proto__ / constructor / prototype keys anywhere: no prototype pollution, and no foreign prototype in what handlers get", async () => {
    const target = none();
    let n = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(injections, async (list) => {
        const text = inject(list);
        n += 1;
        const status = await expectRefusedOrHandled(target, post(text), [200, 422]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
        expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain("polluted");
        if (status === 200) {
          accepted += 1;
          expect(hasForeignPrototype(target.handled.at(-1)), text).toBe(false);
        }
      }),
      { numRuns: RUNS(1500) },
    );
    tally(
      "__proto__ / constructor / prototype keys",
      n,
      accepted,
      "Object.prototype untouched; handlers never see a foreign prototype",
    );
  });

  it("__proto__ keys are dropped everywhere, as documented, also inside free-form fields (offers, unknown extras)", async () => {
    const target = none();
    await fc.assert(
      fc.asyncProperty(injections, async (list) => {
        const status = await expectRefusedOrHandled(target, post(inject(list)), [200, 422]);
        // Object.assign(target, event.messageDeliveryFeedback.offers) would otherwise set target's prototype.
        if (status === 200) expect(hasProtoKey(target.handled.at(-1)), inject(list)).toBe(false);
      }),
      { numRuns: RUNS(500) },
    );
  });

  it("duplicate keys: read as JSON.parse reads them (the last wins), the same signed or not", async () => {
    const plain = none();
    const verified = jwt();
    const keys = Object.keys(VALID_EVENT);
    const alternatives = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom<unknown>("sms", "email", "message.feedback", { id: "x", name: "dev" }, null),
    );
    let n = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...keys), alternatives, fc.boolean(), async (key, value, first) => {
        // The duplicate goes before or after the original occurrence.
        const dup = `"${key}":${JSON.stringify(value) ?? "null"}`;
        const text = first ? `{${dup},${VALID_TEXT.slice(1)}` : `${VALID_TEXT.slice(0, -1)},${dup}}`;
        n += 1;
        const status = await expectRefusedOrHandled(plain, post(text), [200, 422]);
        if (status === 200) {
          accepted += 1;
          const lastWins = JSON.parse(text) as Record<string, unknown>;
          expect((plain.handled.at(-1) as unknown as Record<string, unknown>)[key]).toEqual(lastWins[key]);
        }
        expect(await expectRefusedOrHandled(verified, await signed(text), [200, 422])).toBe(status);
      }),
      { numRuns: RUNS(1000) },
    );
    tally("duplicate keys", 2 * n, 2 * accepted, "last occurrence wins, as in JSON.parse; signed and unsigned agree");
  });
});
