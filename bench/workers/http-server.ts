/**
 * A 127.0.0.1 HTTP server in its own process, so the load generator (autocannon, the dispatcher)
 * and the server never share an event loop.
 * - `bare`: node:http that reads the whole body and answers 200: the limit of a Node server.
 * - `receiver`: `toNodeHandler(createReceiver({ auth }))`, the SDK's Node adapter.
 * - `verify`: node:http that reads the body into a Buffer and calls `receiver.verify` (no Web
 *   `Request`/`Response` in between): what the adapter would cost without the Web bridge.
 * - `floor`: node:http that reads the body, checks an HMAC-SHA256 of it (`x-floor-signature`)
 *   and runs `parseFeedbackEvent`: the least any verifying receiver does, over HTTP.
 * Counts answers by status, for the bench to check that every request was accepted.
 */
import { createHmac, createSecretKey, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { toNodeHandler } from "../../src/adapters/node.js";
import { createReceiver, type Receiver, type ReceiverAuth } from "../../src/receiver/index.js";
import { parseFeedbackEvent } from "../../src/schemas/index.js";
import { handle, onExit } from "./ipc.js";

const statuses = new Map<number, number>();
let requests = 0;

function bare(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    Buffer.concat(chunks);
    res.statusCode = 200;
    res.end();
  });
}

function verifying(receiver: Receiver) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      receiver.verify({ headers: req.headers, body: Buffer.concat(chunks) }).then(
        () => {
          res.statusCode = 200;
          res.end();
        },
        () => {
          res.statusCode = 401;
          res.end();
        },
      );
    });
  };
}

function floor(secret: string) {
  const key = createSecretKey(Buffer.from(secret, "base64url"));
  return (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const expected = createHmac("sha256", key).update(body).digest();
      const given = Buffer.from(String(req.headers["x-floor-signature"]), "base64");
      let ok = given.length === expected.length && timingSafeEqual(given, expected);
      try {
        if (ok) parseFeedbackEvent(body);
      } catch {
        ok = false;
      }
      res.statusCode = ok ? 200 : 401;
      res.end();
    });
  };
}

handle("init", "listening", async (m) => {
  const mode = m.mode as "bare" | "receiver" | "verify" | "floor";
  let listener: (req: IncomingMessage, res: ServerResponse) => void = bare;
  if (mode === "floor") listener = floor(m.secret as string);
  else if (mode !== "bare") {
    const receiver = createReceiver({ auth: m.auth as ReceiverAuth, onError: () => undefined });
    await receiver.ready();
    listener = mode === "receiver" ? toNodeHandler(receiver) : verifying(receiver);
  }
  const server = createServer((req, res) => {
    requests++;
    res.once("finish", () => statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1));
    listener(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port };
});

handle("count", "counted", () => ({ requests, statuses: Object.fromEntries(statuses) }));
handle("reset", "reset-done", () => {
  requests = 0;
  statuses.clear();
});
onExit();
