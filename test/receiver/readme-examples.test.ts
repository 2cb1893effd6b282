import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createAdaptorServer } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { setupServer } from "msw/node";
import { describe, expect, it, vi } from "vitest";
import { toExpressMiddleware } from "../../src/adapters/express.js";
import { fastifyFeedbackWebhooks } from "../../src/adapters/fastify.js";
import { toHonoHandler } from "../../src/adapters/hono.js";
import { toNodeHandler } from "../../src/adapters/node.js";
import { createReceiver, type DedupeStore } from "../../src/receiver/index.js";
import { createTestEvent, signTestPayload, signTestRequest, testKeys } from "../../src/testing/index.js";
import { captureFeedbackRequests } from "../../src/testing/msw.js";
import worker, { crm, HOOK_URL, log, POST, platform, receiver } from "./readme-app.js";

// The README examples, run. Each `readme:<name>` region (here and in readme-app.ts) must appear
// verbatim (dedented) in README.md: the last test below checks it.

async function deliverTo(url: string, status: "bounce" | "sent" = "bounce"): Promise<number> {
  const { headers, body } = await signTestPayload(createTestEvent(status), { key: platform });
  return (await fetch(url, { method: "POST", headers, body })).status;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closed(server: Server): Promise<void> {
  await new Promise((resolve) => server.close(resolve));
}

describe("README examples", () => {
  it("web standard: Next.js, Bun, Deno and Workers call receiver.handle", async () => {
    crm.markBounced.mockClear();
    expect((await POST(await signTestRequest(createTestEvent("bounce"), { key: platform, url: HOOK_URL }))).status).toBe(200);
    expect((await worker.fetch(await signTestRequest(createTestEvent("sent"), { key: platform }))).status).toBe(200);
    expect(crm.markBounced).toHaveBeenCalledWith(expect.any(String), "10", "Invalid Recipient");
  });

  it("node http", async () => {
    // #region readme:node
    const server = createServer(toNodeHandler(receiver)); // every request is a delivery
    // #endregion
    const base = await listen(server);
    expect(await deliverTo(`${base}/`)).toBe(200);
    await closed(server);
  });

  it("express", async () => {
    // #region readme:express
    const app = express();
    app.post("/webhooks/feedback", toExpressMiddleware(receiver)); // reads the raw body itself
    app.use(express.json()); // the rest of the app may parse JSON: mount it after
    // #endregion
    const server = createServer(app);
    expect(await deliverTo(`${await listen(server)}/webhooks/feedback`)).toBe(200);
    await closed(server);
  });

  it("fastify", async () => {
    // #region readme:fastify
    const app = Fastify();
    await app.register(fastifyFeedbackWebhooks, { receiver, prefix: "/webhooks/feedback" });
    // #endregion
    await app.listen({ port: 0, host: "127.0.0.1" });
    expect(await deliverTo(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/feedback`)).toBe(200);
    await app.close();
  });

  it("hono", async () => {
    // #region readme:hono
    const app = new Hono();
    app.post("/webhooks/feedback", toHonoHandler(receiver));
    // #endregion
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    expect(await deliverTo(`${await listen(server)}/webhooks/feedback`)).toBe(200);
    await closed(server);
  });

  it("a Redis dedupe store", async () => {
    const keys = new Map<string, number>();
    const redis = {
      async set(key: string, _value: string, options: { NX: true; PXAT: number }) {
        if (keys.has(key)) return null;
        keys.set(key, options.PXAT);
        return "OK";
      },
      exists: async (key: string) => (keys.has(key) ? 1 : 0),
    };
    // #region readme:redis-store
    const redisStore: DedupeStore = {
      add: async (key, expiresAt) => (await redis.set(`feedback:${key}`, "1", { NX: true, PXAT: expiresAt })) === "OK",
      has: async (key) => (await redis.exists(`feedback:${key}`)) === 1,
    };
    // #endregion
    const shared = createReceiver({ auth: platform.receiverAuth, dedupe: { store: redisStore } });
    const payload = await signTestPayload(createTestEvent("sent"), { key: platform });
    expect((await shared.handle(new Request(HOOK_URL, payload))).status).toBe(200);
    expect([...keys.keys()]).toEqual([expect.stringMatching(/^feedback:jti:/), expect.stringMatching(/^feedback:delivery:/)]);
  });

  it("handlerTimeoutMs", async () => {
    const slowCrm = { update: (_event?: unknown) => sleep(100) };
    // #region readme:handler-timeout
    const quick = createReceiver({
      auth: { type: "jwt", secret: process.env.FEEDBACK_SECRET!, issuer: "https://platform.example.com" },
      handlerTimeoutMs: 5_000, // answer 202 after 5 s; a later failure only reaches onError
      onError: (error, { phase, status }) => log.error({ err: error, phase, status }, "feedback webhook"),
    }).on("*", (event) => slowCrm.update(event));
    // #endregion
    const impatient = createReceiver({ auth: { type: "jwt", secret: process.env.FEEDBACK_SECRET! }, handlerTimeoutMs: 10 });
    impatient.on("*", () => slowCrm.update());
    expect((await quick.handle(await signTestRequest(createTestEvent("sent"), { key: platform }))).status).toBe(200);
    expect((await impatient.handle(await signTestRequest(createTestEvent("sent"), { key: platform }))).status).toBe(202);
  });

  it("test kit: signed test requests", async () => {
    // #region readme:test-kit
    const onBounce = vi.fn();
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth }).on("bounce", onBounce);
    const request = await signTestRequest(createTestEvent("bounce", { channel: "sms" }), { key: testKeys.hs256 });
    expect((await receiver.handle(request)).status).toBe(200);
    expect(onBounce).toHaveBeenCalledOnce();
    // #endregion
  });

  it("test kit: msw capture for code that posts with fetch", async () => {
    const server = setupServer();
    server.listen({ onUnhandledRequest: "error" });
    const notifyClient = async (event: object) => {
      const { url, headers, body } = await signTestPayload(event, { key: testKeys.hs256, url: HOOK_URL });
      await fetch(url, { method: "POST", headers, body });
    };
    // #region readme:msw
    const hookUrl = "https://hooks.example.com/webhooks/feedback";
    const capture = captureFeedbackRequests(hookUrl, { auth: testKeys.hs256.receiverAuth });
    server.use(...capture.handlers);
    await notifyClient(createTestEvent("delivered")); // your code, posting with fetch
    expect(capture.events).toHaveLength(1);
    // #endregion
    server.close();
  });
});

const REGION = /^[ \t]*\/\/ #region readme:(\S+)\n([\s\S]*?)\n[ \t]*\/\/ #endregion/gm;

/** Every `readme:<name>` region of readme-app.ts and this file, dedented. */
function regions(): Array<[string, string]> {
  const source = ["./readme-app.ts", import.meta.url].map((file) => readFileSync(new URL(file, import.meta.url), "utf8")).join("\n");
  return [...source.matchAll(REGION)].map(([, name, body]) => {
    const lines = (body ?? "").split("\n");
    const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => (l.match(/^ */)?.[0] ?? "").length));
    return [name ?? "", lines.map((l) => l.slice(indent)).join("\n")];
  });
}

describe("README snippets are the code above, verbatim", () => {
  it("finds every region", () => {
    expect(regions().map(([name]) => name)).toEqual([
      "receiver",
      "web",
      "node",
      "express",
      "fastify",
      "hono",
      "redis-store",
      "handler-timeout",
      "test-kit",
      "msw",
    ]);
  });

  it.each(["README.md"])("%s contains every region", (file) => {
    const text = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
    for (const [name, code] of regions()) expect(text, `region readme:${name}`).toContain(code);
  });
});
