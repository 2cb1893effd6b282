import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A webhook receiver on 127.0.0.1 that counts deliveries by `webhook-id`. */
export interface CountingReceiver {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  /** How often each `webhook-id` arrived. */
  counts: Map<string, number>;
  /** Requests received in total (duplicates included). */
  total(): number;
  /** Resolves once `n` distinct ids arrived, or rejects after `timeoutMs`. */
  waitForDistinct(n: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a receiver that answers 204 after `delayMs` (so that attempts are in flight long
 * enough for a kill to land in the middle of them).
 *
 * @example
 * ```ts
 * const receiver = await startCountingReceiver({ delayMs: 20 });
 * await receiver.waitForDistinct(300, 30_000);
 * ```
 */
export async function startCountingReceiver(options: { delayMs?: number } = {}): Promise<CountingReceiver> {
  const counts = new Map<string, number>();
  let total = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      counts.set(id, (counts.get(id) ?? 0) + 1);
      total += 1;
      setTimeout(() => res.writeHead(204).end(), options.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    counts,
    total: () => total,
    async waitForDistinct(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (counts.size < n) {
        if (Date.now() > deadline) throw new Error(`only ${counts.size} of ${n} distinct deliveries arrived in time`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
