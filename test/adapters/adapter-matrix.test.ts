import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReceiver } from "../../src/receiver/index.js";
import { type SignedTestPayload, signTestPayload, testKeys } from "../../src/testing/index.js";
import { fixtureText, fixtureWith } from "../fixtures/index.js";
import { FRAMEWORKS, type RunningServer } from "./start-server.js";

const MAX_BODY_BYTES = 4096;
const sign = (body: string, key = testKeys.hs256) => signTestPayload(body, { key, deliveryId: "delivery-1" });

interface Case {
  name: string;
  send: (url: string) => Promise<Response>;
  status: number;
  /** Handler calls expected: [bounce, error]. */
  calls: [number, number];
}

function post(url: string, payload: SignedTestPayload, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: payload.headers, body: payload.body, ...init });
}

const CASES: Case[] = [
  { name: "valid", send: async (url) => post(url, await sign(fixtureText("email-bounce"))), status: 200, calls: [1, 0] },
  { name: "bad token", send: async (url) => post(url, await sign(fixtureText("email-bounce"), testKeys.es256)), status: 401, calls: [0, 0] },
  { name: "malformed body", send: async (url) => post(url, await sign('{"requestId":')), status: 400, calls: [0, 0] },
  {
    name: "schema failure",
    send: async (url) => post(url, await sign(JSON.stringify(fixtureWith("email-bounce", ["channel"], "fax")))),
    status: 422,
    calls: [0, 0],
  },
  { name: "too large", send: async (url) => post(url, await sign(" ".repeat(MAX_BODY_BYTES + 1))), status: 413, calls: [0, 0] },
  {
    name: "too large, chunked",
    send: async (url) => {
      const payload = await sign(fixtureText("email-bounce"));
      const chunk = new TextEncoder().encode(" ".repeat(1024));
      let left = 64;
      const body = new ReadableStream<Uint8Array>({
        pull: (controller) => (left-- > 0 ? controller.enqueue(chunk) : controller.close()),
      });
      return fetch(url, { method: "POST", headers: payload.headers, body, duplex: "half" } as RequestInit);
    },
    status: 413,
    calls: [0, 0],
  },
  {
    name: "wrong content type",
    send: async (url) => {
      const payload = await sign(fixtureText("email-bounce"));
      return post(url, { ...payload, headers: { ...payload.headers, "content-type": "text/plain" } });
    },
    status: 415,
    calls: [0, 0],
  },
  { name: "handler error", send: async (url) => post(url, await sign(fixtureText("email-error"))), status: 500, calls: [0, 1] },
  { name: "GET", send: (url) => fetch(url), status: 405, calls: [0, 0] },
];

describe.each(Object.keys(FRAMEWORKS))("adapter matrix: %s on 127.0.0.1", (framework) => {
  const calls = { bounce: 0, error: 0 };
  const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, maxBodyBytes: MAX_BODY_BYTES, onError: () => {} })
    .on("bounce", () => {
      calls.bounce++;
    })
    .on("error", () => {
      calls.error++;
      throw new Error("handler failed");
    });
  let server: RunningServer;
  beforeAll(async () => {
    server = await (FRAMEWORKS[framework] as (typeof FRAMEWORKS)[string])(receiver);
  });
  afterAll(() => server.close());

  it.each(CASES)("$name → $status", async ({ send, status, calls: expected }) => {
    calls.bounce = 0;
    calls.error = 0;
    const response = await send(server.url);
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect([calls.bounce, calls.error]).toEqual(expected);
    if (status >= 400) {
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(text)).toMatchObject({ status, type: expect.stringMatching(/^urn:feedback-webhooks:problem:/) });
    }
  });
});
