import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { toExpressMiddleware } from "../../src/adapters/express.js";
import { createReceiver } from "../../src/receiver/index.js";
import { signTestPayload, testKeys } from "../../src/testing/index.js";
import { fixtureText } from "../fixtures/index.js";

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function start(app: express.Express): Promise<string> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function deliver(url: string): Promise<Response> {
  const { headers, body } = await signTestPayload(fixtureText("email-sent"), { key: testKeys.hs256 });
  return fetch(url, { method: "POST", headers, body });
}

function receiverWithHandler() {
  const sent = vi.fn();
  return { receiver: createReceiver({ auth: testKeys.hs256.receiverAuth }).on("sent", sent), sent };
}

describe("toExpressMiddleware", () => {
  it("fails with a clear 500 when express.json() already parsed the body", async () => {
    const { receiver, sent } = receiverWithHandler();
    const app = express();
    app.use(express.json());
    app.post("/hook", toExpressMiddleware(receiver));
    const response = await deliver(`${await start(app)}/hook`);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      code: "ERR_INVALID_STATE",
      detail: expect.stringContaining("before express.json()"),
    });
    expect(sent).not.toHaveBeenCalled();
  });

  it("uses the Buffer left by express.raw()", async () => {
    const { receiver, sent } = receiverWithHandler();
    const app = express();
    app.post("/hook", express.raw({ type: "application/json" }), toExpressMiddleware(receiver));
    expect((await deliver(`${await start(app)}/hook`)).status).toBe(200);
    expect(sent).toHaveBeenCalledOnce();
  });

  it("leaves express.json() working on the app's other routes when mounted first", async () => {
    const { receiver } = receiverWithHandler();
    const app = express();
    app.post("/hook", toExpressMiddleware(receiver));
    app.use(express.json());
    app.post("/echo", (req, res) => void res.json(req.body));
    const base = await start(app);
    expect((await deliver(`${base}/hook`)).status).toBe(200);
    const echo = await fetch(`${base}/echo`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' });
    expect(await echo.json()).toEqual({ a: 1 });
  });
});
