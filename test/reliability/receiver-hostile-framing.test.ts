import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recordFigures } from "./helpers/figures.js";
import { expectRefusedOrHandled, hostileTarget, post, RUNS, VALID_TEXT, TIMEOUT } from "./helpers/hostile.js";

const LIMIT = 256 * 1024;

/** A body of `size` bytes, produced lazily in `chunk`-byte pieces; `pulled()` says how much was read. */
function lazyBody(size: number, chunk: number) {
  let produced = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (produced >= size) return controller.close();
        const n = Math.min(chunk, size - produced);
        produced += n;
        controller.enqueue(new Uint8Array(n).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => produced };
}

describe("hostile framing (property-based): content types and body sizes", { timeout: TIMEOUT(60_000) }, () => {
  it("a content type other than application/json (any parameters, any case) is 415 before the body is read", async () => {
    const target = hostileTarget({ auth: { type: "none" } });
    const known = fc.constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/jsonp",
      "application/json-patch+json",
      "application/problem+json",
      "text/json",
      "application/json5",
      "json",
      "",
      "application/json, text/plain",
      "APPLICATION/JSON; charset=utf-8",
      "application/json;charset=latin1",
      "Application/Json ; q=1",
    );
    const header = fc.oneof(known, fc.string({ maxLength: 60 }), fc.string({ unit: "binary-ascii", maxLength: 40 }));
    let n = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(header, async (contentType) => {
        let headers: Headers;
        try {
          headers = new Headers({ "content-type": contentType });
        } catch {
          fc.pre(false); // not a header value any HTTP stack would deliver
          return;
        }
        const essence = headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
        const body = lazyBody(VALID_TEXT.length, 1024);
        n += 1;
        const request = new Request("https://hooks.example.test/", {
          method: "POST",
          headers,
          body: essence === "application/json" ? VALID_TEXT : body.stream,
          duplex: "half",
        } as RequestInit);
        const status = await expectRefusedOrHandled(target, request, essence === "application/json" ? [200] : [415]);
        if (status === 200) accepted += 1;
        else expect(body.pulled(), "body not read for a 415").toBe(0);
      }),
      { numRuns: RUNS(1500) },
    );
    const missing = await expectRefusedOrHandled(
      target,
      new Request("https://x/", { method: "POST", body: VALID_TEXT }),
      [415],
    );
    expect(missing).toBe(415);
    recordFigures({
      scenario: "wrong content types",
      sent: n + 1,
      delivered: accepted,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: "415 unless the essence is application/json; the body is never read",
    });
  });

  it("oversized bodies, streamed: 413 having read at most the limit plus one chunk — never buffered whole (up to 50 MB offered)", async () => {
    const target = hostileTarget({ auth: { type: "none" } });
    let n = 0;
    let offered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: LIMIT + 1, max: 50 * 1024 * 1024 }),
        fc.integer({ min: 1024, max: 64 * 1024 }),
        async (size, chunk) => {
          const body = lazyBody(size, chunk);
          n += 1;
          offered += size;
          await expectRefusedOrHandled(target, post(body.stream), [413]);
          expect(body.pulled()).toBeLessThanOrEqual(LIMIT + chunk);
        },
      ),
      { numRuns: RUNS(200, 2000) },
    );
    recordFigures({
      scenario: "oversized bodies (streamed)",
      sent: n,
      delivered: 0,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: `${Math.round(offered / 2 ** 20)} MiB offered in total; each read stopped at limit + one chunk`,
    });
  });

  it("a lying content-length: too large is 413 before any byte is read; too small or garbage is ignored and the real bytes are counted", async () => {
    const target = hostileTarget({ auth: { type: "none" } });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: LIMIT + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
          fc.integer({ min: 0, max: LIMIT }).map(String),
          fc.constantFrom("-1", "abc", "1e3", "0x10", " 12 ", "Infinity", "NaN", "", "1,2"),
        ),
        fc.integer({ min: 0, max: 2 * LIMIT }),
        async (declared, actual) => {
          const body = lazyBody(actual, 16 * 1024);
          const request = new Request("https://hooks.example.test/", {
            method: "POST",
            headers: { "content-type": "application/json", "content-length": declared },
            body: body.stream,
            duplex: "half",
          } as RequestInit);
          n += 1;
          // A body of spaces only: 400 (empty) when it fits, 413 when it does not.
          const byActual = actual > LIMIT ? 413 : 400;
          const status = await expectRefusedOrHandled(target, request, [400, 413]);
          if (/^\d+$/.test(declared) && Number(declared) > LIMIT) {
            expect(status).toBe(413);
            expect(body.pulled()).toBe(0);
          } else if (/^\d+$/.test(declared)) {
            expect(status).toBe(byActual);
          } else {
            // Garbage: ignored (the real bytes decide) or refused up front, never trusted to be small.
            expect(status === byActual || (status === 413 && body.pulled() === 0)).toBe(true);
          }
        },
      ),
      { numRuns: RUNS(400, 3000) },
    );
    recordFigures({
      scenario: "lying content-length (in process)",
      sent: n,
      delivered: 0,
      dead: 0,
      duplicated: 0,
      lost: 0,
      notes: "declared > limit: 413, 0 bytes read; otherwise the real bytes decide",
    });
  });
});
