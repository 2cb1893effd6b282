import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { fastifyFeedbackWebhooks } from "../../src/adapters/fastify.js";
import { toExpressMiddleware } from "../../src/adapters/express.js";
import { toHonoHandler } from "../../src/adapters/hono.js";
import { toNodeHandler } from "../../src/adapters/node.js";
import type { Receiver } from "../../src/receiver/index.js";

/** A real server listening on 127.0.0.1 with the receiver mounted at `url`. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** The path every framework mounts the receiver on. */
export const HOOK_PATH = "/webhooks/feedback";

async function listen(server: Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${HOOK_PATH}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Starts each framework with the receiver mounted on {@link HOOK_PATH} (all methods). */
export const FRAMEWORKS: Record<string, (receiver: Receiver) => Promise<RunningServer>> = {
  node: (receiver) => {
    const handler = toNodeHandler(receiver);
    return listen(
      createServer((req, res) => {
        if (req.url === HOOK_PATH) return void handler(req, res);
        res.writeHead(404).end();
      }),
    );
  },
  express: (receiver) => {
    const app = express();
    app.all(HOOK_PATH, toExpressMiddleware(receiver));
    return listen(createServer(app));
  },
  fastify: async (receiver) => {
    const app = Fastify();
    await app.register(fastifyFeedbackWebhooks, { receiver, prefix: HOOK_PATH });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}${HOOK_PATH}`, close: () => app.close() };
  },
  hono: (receiver) => {
    const app = new Hono();
    app.all(HOOK_PATH, toHonoHandler(receiver));
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
  },
};
