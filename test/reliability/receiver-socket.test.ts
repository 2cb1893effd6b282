import fc from "fast-check";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toNodeHandler } from "../../src/adapters/node.js";
import { recordFigures } from "./helpers/figures.js";
import { hostileTarget, RUNS, type Target, VALID_TEXT, TIMEOUT } from "./helpers/hostile.js";

const REQUEST_TIMEOUT_MS = 2000;

/** Writes raw bytes on a fresh connection; resolves with everything the server sent back and when it closed. */
function rawExchange(
  port: number,
  chunks: ReadonlyArray<string | Buffer>,
  options: { gapMs?: number; end?: boolean; maxMs?: number } = {},
): Promise<{ response: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, "127.0.0.1");
    let response = "";
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(limit);
      resolve({ response, closedAfterMs: Date.now() - started });
    };
    const limit = setTimeout(() => socket.destroy(), options.maxMs ?? 15_000);
    socket.on("data", (d: Buffer) => {
      response += d.toString("latin1");
    });
    socket.on("error", () => {});
    socket.on("close", finish);
    let i = 0;
    const next = () => {
      if (socket.destroyed) return;
      if (i >= chunks.length) {
        if (options.end !== false) socket.end();
        return;
      }
      socket.write(chunks[i++]!);
      timer = setTimeout(next, options.gapMs ?? 0);
    };
    socket.once("connect", next);
  });
}

const head = (contentLength: number | string, extra = "") =>
  `POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n${extra}\r\n`;

describe("the receiver behind node:http, on real sockets", { timeout: TIMEOUT(60_000) }, () => {
  let server: Server;
  let port: number;
  let target: Target;
  beforeAll(async () => {
    target = hostileTarget({ auth: { type: "none" } });
    // The application's server sets the time limits: the receiver reads bodies as they come.
    server = createServer(
      { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 100 },
      toNodeHandler(target.receiver),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const validStillServed = async () => {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/hook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: VALID_TEXT,
    });
    expect(res.status).toBe(200);
    return Date.now() - started;
  };

  it(
    "slow-loris bodies and headers (50 connections, 1 byte per 100 ms) are cut at the server's limit; valid requests meanwhile answer at once; no handler runs",
    async () => {
      const handledBefore = target.handled.length;
      const body = VALID_TEXT.split("");
      const slowBodies = Array.from({ length: 40 }, () =>
        rawExchange(port, [head(VALID_TEXT.length), ...body], { gapMs: 100, maxMs: 20_000 }),
      );
      const headBytes = head(VALID_TEXT.length).split("");
      const slowHeads = Array.from({ length: 10 }, () => rawExchange(port, headBytes, { gapMs: 100, maxMs: 20_000 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const latencies: number[] = [];
      for (let i = 0; i < 10; i++) latencies.push(await validStillServed());
      const results = await Promise.all([...slowBodies, ...slowHeads]);
      for (const { closedAfterMs, response } of results) {
        expect(closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
        if (response !== "") expect(response).toMatch(/^HTTP\/1\.1 408/);
      }
      expect(Math.max(...latencies)).toBeLessThan(2000);
      expect(target.handled.length - handledBefore).toBe(10); // the 10 valid ones only
      recordFigures({
        scenario: "slow-loris bodies and headers (socket)",
        sent: 60,
        delivered: 10,
        dead: 0,
        duplicated: 0,
        lost: 0,
        notes: `50 slow connections cut after ≤ ${Math.max(...results.map((r) => r.closedAfterMs))} ms (requestTimeout ${REQUEST_TIMEOUT_MS}); valid p100 ${Math.max(...latencies)} ms`,
      });
    },
    TIMEOUT(30_000),
  );

  it(
    "a lying content-length on the wire (property-based): the handler runs only when it matches the body; the server survives",
    async () => {
      const bytes = Buffer.from(VALID_TEXT);
      let n = 0;
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: bytes.length + 200 }), fc.boolean(), async (declared, halfClose) => {
          const before = target.handled.length;
          n += 1;
          const { response } = await rawExchange(port, [head(declared), bytes], {
            end: halfClose,
            maxMs: declared > bytes.length ? 150 : 3000,
          });
          const ran = target.handled.length - before;
          if (declared === bytes.length) {
            accepted += 1;
            expect(response).toMatch(/^HTTP\/1\.1 200/);
            expect(ran).toBe(1);
          } else {
            expect(ran, `declared ${declared} of ${bytes.length}`).toBe(0);
            // Shorter: the prefix is refused (400); the rest is a garbage request Node refuses too.
            if (declared < bytes.length) expect(response).toMatch(/^HTTP\/1\.1 400/);
          }
        }),
        { numRuns: RUNS(100, 1500) },
      );
      await validStillServed();
      recordFigures({
        scenario: "lying content-length (socket)",
        sent: n,
        delivered: accepted,
        dead: 0,
        duplicated: 0,
        lost: 0,
        notes: "handler only when the length is true; shorter: 400; longer: held until the client gives up",
      });
    },
    TIMEOUT(60_000),
  );

  it("content-length over the limit is 413 before the client sends a byte of body; smuggling framings are refused", async () => {
    const before = target.handled.length;
    const big = await rawExchange(port, [head(10 * 1024 * 1024)], { end: false, maxMs: 3000 });
    expect(big.response).toMatch(/^HTTP\/1\.1 413/);
    expect(big.response.toLowerCase()).toContain("connection: close");
    for (const framing of [
      head(5, "Transfer-Encoding: chunked\r\n"),
      head(5, "Content-Length: 6\r\n"),
      head("-1"),
      head("0x10"),
    ]) {
      const { response } = await rawExchange(port, [framing, "{}"], { maxMs: 3000 });
      expect(response, framing).toMatch(/^HTTP\/1\.1 400/);
    }
    expect(target.handled.length).toBe(before);
    await validStillServed();
  });
});
