import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { toHonoHandler } from "../../src/adapters/hono.js";
import { createReceiver } from "../../src/receiver/index.js";
import { signTestRequest, testKeys } from "../../src/testing/index.js";
import { fixtureText } from "../fixtures/index.js";

describe("toHonoHandler", () => {
  it("receives a delivery in-process with app.request()", async () => {
    const sent = vi.fn();
    const app = new Hono().post("/hook", toHonoHandler(createReceiver({ auth: testKeys.hs256.receiverAuth }).on("sent", sent)));
    const request = await signTestRequest(fixtureText("email-sent"), { key: testKeys.hs256, url: "http://localhost/hook" });
    expect((await app.request(request)).status).toBe(200);
    expect(sent).toHaveBeenCalledOnce();
  });

  it("fails with a clear 500 when a middleware already read the body", async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await c.req.raw.text();
      await next();
    });
    app.post("/hook", toHonoHandler(createReceiver({ auth: testKeys.hs256.receiverAuth })));
    const request = await signTestRequest(fixtureText("email-sent"), { key: testKeys.hs256, url: "http://localhost/hook" });
    const response = await app.request(request);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ detail: expect.stringContaining("already read") });
  });
});
