import type { ReceiverAuth } from "../../src/receiver/index.js";
import { type Child, startChild } from "./child.js";

/** An HTTP server child (see `workers/http-server.ts`). */
export interface BenchServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  child: Child;
  /** Requests received since the last reset, and answers by status. */
  counts(): Promise<{ requests: number; statuses: Record<string, number> }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a server in its own process: `bare` (read the body, answer 200: the sink every
 * dispatcher scenario delivers to, and the limit of a Node server) or `receiver` (the SDK's Node
 * adapter with `auth`), `verify` (node:http calling `receiver.verify` on the read body) or `floor`
 * (node:http checking an HMAC of the body with `secret`, then parsing: the least a receiver does).
 */
export async function startServer(
  mode: "bare" | "receiver" | "verify" | "floor",
  options: { auth?: ReceiverAuth; secret?: string; profileDir?: string | undefined } = {},
): Promise<BenchServer> {
  const child = startChild("http-server.ts", { profileDir: options.profileDir });
  const { port } = await child.request<{ type: string; port: number }>(
    { type: "init", mode, auth: options.auth, secret: options.secret },
    "listening",
  );
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    child,
    async counts() {
      const m = await child.request<{ type: string; requests: number; statuses: Record<string, number> }>(
        { type: "count" },
        "counted",
      );
      return { requests: m.requests, statuses: m.statuses };
    },
    async reset() {
      await child.request({ type: "reset" }, "reset-done");
    },
    stop: () => child.stop(),
  };
}
