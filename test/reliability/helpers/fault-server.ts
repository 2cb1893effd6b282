import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the endpoint does with one request.
 * - `{ status }`: answers it (headers and body optional).
 * - `reset-request`: destroys the connection as soon as the request head arrived (the body is cut off).
 * - `reset-response`: answers 200 headers and half a body, then destroys the connection.
 * - `hang`: accepts and never answers.
 * - `stall-body`: answers 200 headers and 10 of 1000 announced bytes, then nothing.
 * - `drip`: answers 200 headers, then one byte every 50 ms, forever.
 * - `{ defer }`: holds the request until `defer` resolves, then does what it resolved to.
 */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { defer: Promise<Fault> }
  | "reset-request"
  | "reset-response"
  | "hang"
  | "stall-body"
  | "drip";

/** What the server knows about a request when it picks a {@link Fault}. */
export interface FaultRequest {
  /** The `webhook-id` header. */
  id: string;
  /** The n-th request with this `webhook-id` (1-based), counted by the server. */
  nth: number;
  /** The `webhook-attempt` header. */
  attempt: number;
  /** Requests received so far, this one included. */
  total: number;
  headers: IncomingMessage["headers"];
}

/** A real endpoint on 127.0.0.1 that misbehaves on purpose, and counts what it saw. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>/hook` (or `https:`). */
  url: string;
  port: number;
  /** Requests per `webhook-id`. */
  requests: Map<string, number>;
  /** Requests per URL path. */
  paths: Map<string, number>;
  /**
   * Deliveries the endpoint processed, per `webhook-id`: it answered 2xx, or (reset-response,
   * stall-body, drip) it started a 2xx answer — the sender may not know.
   */
  processed: Map<string, number>;
  total(): number;
  /** Replaces the behaviour. */
  behave(pick: (request: FaultRequest) => Fault): void;
  /** Stops listening (connections refused) without forgetting the counts; `listen()` reopens on the same port. */
  pause(): Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startFaultServer}. */
export interface FaultServerOptions {
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
}

/**
 * Starts a {@link FaultServer} answering 200 until told otherwise.
 *
 * @example
 * ```ts
 * const server = await startFaultServer();
 * server.behave(({ nth }) => (nth <= 3 ? { status: 500 } : { status: 200 }));
 * ```
 */
export async function startFaultServer(options: FaultServerOptions = {}): Promise<FaultServer> {
  const requests = new Map<string, number>();
  const processed = new Map<string, number>();
  const paths = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let total = 0;
  let pick: (request: FaultRequest) => Fault = () => ({ status: 200 });

  const count = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);

  function answer(fault: Fault, id: string, req: IncomingMessage, res: ServerResponse): void {
    if (fault === "reset-request") {
      req.socket.destroy();
      return;
    }
    if (fault === "hang") return;
    if (typeof fault === "object" && "defer" in fault) {
      void fault.defer.then((next) => answer(next, id, req, res));
      return;
    }
    if (fault === "reset-response" || fault === "stall-body" || fault === "drip") {
      count(processed, id);
      res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
      res.write("x".repeat(fault === "reset-response" ? 500 : 10));
      if (fault === "reset-response") setImmediate(() => req.socket.destroy());
      if (fault === "drip") {
        const timer = setInterval(() => {
          if (res.destroyed) clearInterval(timer);
          else res.write("x");
        }, 50);
        timers.add(timer);
      }
      return;
    }
    if (fault.status >= 200 && fault.status < 300) count(processed, id);
    res.writeHead(fault.status, fault.headers ?? {}).end(fault.body ?? "");
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const id = String(req.headers["webhook-id"] ?? "");
    total += 1;
    count(paths, (req.url ?? "/").split("?")[0]!);
    const nth = (requests.get(id) ?? 0) + 1;
    requests.set(id, nth);
    const fault = pick({ id, nth, attempt: Number(req.headers["webhook-attempt"]), total, headers: req.headers });
    if (fault === "reset-request") {
      answer(fault, id, req, res);
      return;
    }
    // Read the whole body first, as a real receiver does before it answers.
    req.resume();
    req.once("end", () => answer(fault, id, req, res));
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, onRequest) : createHttpServer(onRequest);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // A TLS handshake the client refuses surfaces here; it is the point of some tests, not an error.
  server.on("tlsClientError", () => {});

  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  await listen();
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}/hook`,
    port,
    requests,
    paths,
    processed,
    total: () => total,
    behave(next) {
      pick = next;
    },
    pause: stop,
    listen,
    close: stop,
  };
}
