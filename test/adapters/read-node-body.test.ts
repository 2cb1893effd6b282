import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toNodeHandler } from "../../src/adapters/node.js";
import { readNodeBody } from "../../src/adapters/read-node-body.js";
import { InvalidStateError, PayloadTooLargeError } from "../../src/errors.js";
import { createReceiver } from "../../src/receiver/index.js";
import { testKeys } from "../../src/testing/index.js";
import { fixtureText } from "../fixtures/index.js";

const LIMIT = 1024;

/** A stand-in IncomingMessage: a Readable with headers; `onRead` counts pulls. */
function fakeRequest(
  chunks: Iterable<Buffer> | (() => Buffer | null),
  headers: Record<string, string> = {},
  onRead?: () => void,
): IncomingMessage {
  const next =
    typeof chunks === "function"
      ? chunks
      : (() => {
          const it = chunks[Symbol.iterator]();
          return () => {
            const { done, value } = it.next();
            return done ? null : value;
          };
        })();
  const stream = new Readable({
    read() {
      onRead?.();
      this.push(next());
    },
  });
  return Object.assign(stream, { headers }) as unknown as IncomingMessage;
}

describe("readNodeBody", () => {
  it("returns the exact bytes, also across chunks", async () => {
    const bytes = await readNodeBody(fakeRequest([Buffer.from("hé"), Buffer.from("llo")]), LIMIT);
    expect(Buffer.from(bytes).toString()).toBe("héllo");
  });

  it("accepts a body of exactly the limit and refuses one byte more", async () => {
    expect((await readNodeBody(fakeRequest([Buffer.alloc(LIMIT)]), LIMIT)).byteLength).toBe(LIMIT);
    await expect(readNodeBody(fakeRequest([Buffer.alloc(LIMIT), Buffer.alloc(1)]), LIMIT)).rejects.toMatchObject({
      code: "ERR_PAYLOAD_TOO_LARGE",
      limitBytes: LIMIT,
    });
  });

  it("refuses a declared content-length over the limit without reading a byte", async () => {
    const read = vi.fn();
    const req = fakeRequest([Buffer.alloc(10)], { "content-length": String(LIMIT + 1) }, read);
    await expect(readNodeBody(req, LIMIT)).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(read).not.toHaveBeenCalled();
  });

  it("counts the real bytes when content-length lies low", async () => {
    const req = fakeRequest([Buffer.alloc(LIMIT + 1)], { "content-length": "10" });
    await expect(readNodeBody(req, LIMIT)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it("stops an endless chunked body at the limit + 1 and pauses the stream, never buffering the rest", async () => {
    let pulls = 0;
    const req = fakeRequest(() => Buffer.alloc(100), {}, () => pulls++);
    await expect(readNodeBody(req, LIMIT)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const settled = pulls;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Paused: the stream stops pulling once its own buffer (highWaterMark) is full.
    expect(req.isPaused()).toBe(true);
    expect(pulls).toBe(settled);
    expect(req.readableLength).toBeLessThanOrEqual(req.readableHighWaterMark + 100);
    expect(req.listenerCount("data")).toBe(0);
  });

  it("holds a body a framework already read to the same limit", async () => {
    const req = fakeRequest([]);
    expect(await readNodeBody(req, LIMIT, Buffer.from("{}"))).toEqual(Buffer.from("{}"));
    await expect(readNodeBody(req, LIMIT, Buffer.alloc(LIMIT + 1))).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it("says clearly when something already read the stream", async () => {
    const req = fakeRequest([Buffer.from("{}")]);
    req.resume();
    await new Promise((resolve) => req.once("end", resolve));
    await expect(readNodeBody(req, LIMIT)).rejects.toBeInstanceOf(InvalidStateError);
  });

  it("rejects (does not hang) when the stream errors or closes before its end", async () => {
    const failing = fakeRequest(() => null);
    failing.pause();
    const read = readNodeBody(fakeRequest([]), LIMIT);
    await expect(read).resolves.toHaveLength(0);
    const errored = readNodeBody(failing, LIMIT);
    failing.destroy(new Error("aborted"));
    await expect(errored).rejects.toThrow("aborted");
    const closing = fakeRequest(() => Buffer.alloc(1));
    const closed = readNodeBody(closing, LIMIT);
    closing.destroy();
    await expect(closed).rejects.toThrow(/aborted/);
  });
});

describe("toNodeHandler on a real socket", () => {
  let server: Server | undefined;
  afterEach(
    () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it("survives a client that aborts mid-body: no crash, no handler call, the server keeps serving", async () => {
    const handler = vi.fn();
    const onError = vi.fn();
    const receiver = createReceiver({ auth: testKeys.none.receiverAuth, onError }).on("*", handler);
    server = createServer(toNodeHandler(receiver));
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const body = fixtureText("email-bounce");

    await new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`,
        );
        setTimeout(() => socket.destroy(), 20);
      });
      socket.on("close", () => resolve());
    });
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(onError.mock.calls[0]?.[1]).toMatchObject({ phase: "request", status: 500 });
    expect(handler).not.toHaveBeenCalled();

    const ok = await fetch(`http://127.0.0.1:${port}/`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(ok.status).toBe(200);
    expect(handler).toHaveBeenCalledOnce();
  });
});
