import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server received it: the bytes and headers on the wire. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Answers one request; return nothing to leave the request hanging (timeouts). */
export type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A real HTTP server on 127.0.0.1 (port 0) that records every request. */
export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  received: ReceivedRequest[];
  /** Routes by exact path; unknown paths answer 404. */
  route(path: string, handler: Route): void;
  close(): Promise<void>;
}

/** Starts a {@link TestServer}. Close it in `afterEach`/`afterAll`. */
export async function startTestServer(): Promise<TestServer> {
  const routes = new Map<string, Route>();
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? "/";
      received.push({ method: req.method ?? "", path, headers: { ...req.headers }, body });
      const handler = routes.get(path.split("?")[0] ?? "/");
      if (handler) handler(req, res, body);
      else res.writeHead(404).end("not found");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    route: (path, handler) => routes.set(path, handler),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with `status`, optional headers and body. */
export function reply(status: number, body = "", headers: Record<string, string> = {}): Route {
  return (_req, res) => res.writeHead(status, headers).end(body);
}

/** Answers with each route in turn, repeating the last one. */
export function sequence(...routes: Route[]): Route {
  let i = 0;
  return (req, res, body) => {
    const route = routes[Math.min(i++, routes.length - 1)]!;
    route(req, res, body);
  };
}
