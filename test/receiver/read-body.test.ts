import { describe, expect, it } from "vitest";
import { InvalidStateError, PayloadTooLargeError } from "../../src/errors.js";
import { readBody } from "../../src/receiver/read-body.js";

const LIMIT = 1024;

function streamOf(chunks: number, chunkSize: number, onPull?: () => void): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      onPull?.();
      if (sent === chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(chunkSize).fill(0x61));
    },
  });
}

function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request("http://localhost/", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readBody", () => {
  it("returns the exact bytes of a body within the limit", async () => {
    const bytes = await readBody(post("héllo"), LIMIT);
    expect(new TextDecoder().decode(bytes)).toBe("héllo");
  });

  it("accepts a body of exactly the limit", async () => {
    expect((await readBody(post("a".repeat(LIMIT)), LIMIT)).byteLength).toBe(LIMIT);
  });

  it("returns no bytes for a request without a body", async () => {
    expect((await readBody(new Request("http://localhost/", { method: "POST" }), LIMIT)).byteLength).toBe(0);
  });

  it("refuses a declared content-length over the limit without reading", async () => {
    let pulls = 0;
    const request = post(streamOf(1, 10, () => pulls++), { "content-length": String(LIMIT + 1) });
    await expect(readBody(request, LIMIT)).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(pulls).toBeLessThanOrEqual(1); // ReadableStream pulls once on construction
  });

  it("refuses a body larger than a lying content-length", async () => {
    const request = post("a".repeat(LIMIT + 1), { "content-length": "10" });
    await expect(readBody(request, LIMIT)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });

  it("stops reading a chunked body at the limit + 1 and never buffers the rest", async () => {
    let pulls = 0;
    const request = post(streamOf(1_000_000, 100, () => pulls++));
    await expect(readBody(request, LIMIT)).rejects.toMatchObject({ code: "ERR_PAYLOAD_TOO_LARGE", limitBytes: LIMIT });
    expect(pulls).toBeLessThan(20);
  });

  it("says clearly when something already read the body", async () => {
    const request = post("{}");
    await request.text();
    await expect(readBody(request, LIMIT)).rejects.toThrow(InvalidStateError);
  });
});
