import Fastify, { type FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fastifyFeedbackWebhooks } from "../../src/adapters/fastify.js";
import { createReceiver } from "../../src/receiver/index.js";
import { signTestPayload, testKeys } from "../../src/testing/index.js";
import { fixtureText } from "../fixtures/index.js";

let app: FastifyInstance;
beforeEach(() => {
  app = Fastify();
});
afterEach(() => app.close());

describe("fastifyFeedbackWebhooks", () => {
  it("is encapsulated: the app's other routes keep Fastify's JSON parsing", async () => {
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth });
    await app.register(fastifyFeedbackWebhooks, { receiver, prefix: "/hook" });
    app.post("/echo", async (request) => request.body);
    const { headers, body } = await signTestPayload(fixtureText("sms-delivered"), { key: testKeys.hs256 });
    const hook = await app.inject({ method: "POST", url: "/hook", headers, payload: body });
    expect(hook.statusCode).toBe(200);
    const echo = await app.inject({ method: "POST", url: "/echo", headers: { "content-type": "application/json" }, payload: '{"a":1}' });
    expect(echo.json()).toEqual({ a: 1 });
  });

  it("answers 415 with the receiver's problem body for a request without content type", async () => {
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth });
    await app.register(fastifyFeedbackWebhooks, { receiver, path: "/hook" });
    const response = await app.inject({ method: "POST", url: "/hook", payload: "x" });
    expect(response.statusCode).toBe(415);
    expect(response.headers["content-type"]).toBe("application/problem+json");
  });
});
