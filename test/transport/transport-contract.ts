import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isWebhookError, type TransportError } from "../../src/errors.js";
import type { Transport } from "../../src/transport/index.js";
import { reply, startTestServer, type TestServer } from "./test-server.js";

const headers = { "content-type": "application/json", "webhook-id": "d-1", "x-custom": "yes" };
const body = '{"requestId":"r-1","text":"héllo"}';

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWebhookError(error, "ERR_TRANSPORT")) throw new Error(`expected a TransportError, got ${String(error)}`);
  return error as TransportError;
}

/**
 * The transport contract, run against every transport on a real 127.0.0.1 server.
 * `make` builds the transport with private networks allowed (the server is on loopback) or not.
 */
export function describeTransportContract(
  name: string,
  make: (opts: { allowPrivateNetworks: boolean }) => Transport,
): void {
  describe(`transport contract: ${name}`, () => {
    let server: TestServer;
    let transport: Transport;
    beforeAll(async () => {
      server = await startTestServer();
      transport = make({ allowPrivateNetworks: true });
    });
    afterAll(async () => {
      await transport.close?.();
      await server.close();
    });
    beforeEach(() => {
      server.received.length = 0;
    });
    const send = (path: string, extra: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
      transport.send({ url: `${server.origin}${path}`, headers, body, timeoutMs: extra.timeoutMs ?? 5000, ...extra });

    it("POSTs the exact bytes and headers and returns status, headers and body", async () => {
      server.route("/ok", reply(200, "thanks", { "x-answer": "42" }));
      const res = await send("/ok");
      expect(res).toMatchObject({ status: 200, body: "thanks" });
      expect(res.headers["x-answer"]).toBe("42");
      const [got] = server.received;
      expect(got!.method).toBe("POST");
      expect(got!.body.equals(Buffer.from(body, "utf8"))).toBe(true);
      expect(got!.headers).toMatchObject({
        "content-type": "application/json",
        "webhook-id": "d-1",
        "x-custom": "yes",
      });
      expect(got!.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    });

    it("returns error statuses as answers, with Retry-After", async () => {
      server.route("/busy", reply(429, "slow down", { "retry-after": "7" }));
      const res = await send("/busy");
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("7");
    });

    it("does not follow redirects", async () => {
      server.route("/moved", reply(302, "", { location: "/ok" }));
      server.route("/ok", reply(200));
      const res = await send("/moved");
      expect(res.status).toBe(302);
      expect(server.received.map((r) => r.path)).toEqual(["/moved"]);
    });

    it("reads at most 4 KiB of the response body", async () => {
      server.route("/big", reply(500, "x".repeat(100_000)));
      const res = await send("/big");
      expect(res.body).toBe("x".repeat(4096));
    });

    it("times out a request that gets no answer", async () => {
      server.route("/hang", () => undefined);
      const error = await failure(send("/hang", { timeoutMs: 150 }));
      expect(error.kind).toBe("timeout");
    });

    it("decodes the kept bytes as UTF-8, a character cut at the limit becoming U+FFFD", async () => {
      server.route("/cut", reply(200, `${"x".repeat(4095)}é`));
      const res = await send("/cut");
      expect(res.body).toBe(`${"x".repeat(4095)}\uFFFD`);
    });

    it("ends a body that keeps dripping at the deadline (the bound is total, not idle), keeping the status", async () => {
      server.route("/drip", (_req, res) => {
        res.writeHead(200);
        const drip = setInterval(() => res.write("a"), 20);
        res.on("close", () => clearInterval(drip));
      });
      const started = performance.now();
      const res = await send("/drip", { timeoutMs: 300 });
      expect(performance.now() - started).toBeLessThan(1500);
      // The status arrived: it is the endpoint's answer, so a 2xx is not sent again.
      expect(res.status).toBe(200);
      expect(res.body).toMatch(/^a*$/);
    });

    it("times out when no status arrives before the deadline", async () => {
      server.route("/silent", () => undefined);
      const error = await failure(send("/silent", { timeoutMs: 200 }));
      expect(error.kind).toBe("timeout");
    });

    it("keeps the status when the connection is reset in the middle of the body", async () => {
      server.route("/cut-off", (_req, res) => {
        res.writeHead(200, { "content-length": "100" });
        res.write("half", () => setTimeout(() => res.socket?.destroy(), 20));
      });
      const res = await send("/cut-off");
      expect(res.status).toBe(200);
      expect("half".startsWith(res.body)).toBe(true);
    });

    it("reports a reset connection as a network error", async () => {
      server.route("/reset", (req) => req.socket.destroy());
      const error = await failure(send("/reset"));
      expect(error.kind).toBe("network");
      expect(error.message).not.toContain("d-1");
    });

    it("reports a refused connection as a network error", async () => {
      const closed = await startTestServer();
      await closed.close();
      const error = await failure(transport.send({ url: `${closed.origin}/x`, headers, body, timeoutMs: 2000 }));
      expect(error.kind).toBe("network");
    });

    it("aborts when the caller's signal fires", async () => {
      server.route("/hang", () => undefined);
      const controller = new AbortController();
      const pending = send("/hang", { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      expect((await failure(pending)).kind).toBe("aborted");
    });

    it("ends at once when the caller's signal fires while the body is arriving, keeping the status", async () => {
      server.route("/trickle-then-abort", (_req, res) => {
        res.writeHead(200);
        res.write("a");
      });
      const controller = new AbortController();
      const pending = send("/trickle-then-abort", { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      expect((await pending).status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it("sends nothing when the caller's signal has already fired", async () => {
      server.route("/ok", reply(200));
      const error = await failure(send("/ok", { signal: AbortSignal.abort() }));
      expect(error.kind).toBe("aborted");
      expect(server.received).toEqual([]);
    });

    it("refuses loopback, private and metadata addresses unless allowed", async () => {
      const guarded = make({ allowPrivateNetworks: false });
      try {
        for (const url of [
          `${server.origin}/ok`,
          `http://localhost:${server.port}/ok`,
          "http://169.254.169.254/latest/meta-data",
          "https://10.0.0.8/hook",
          "https://[::ffff:127.0.0.1]/hook",
        ]) {
          const error = await failure(guarded.send({ url, headers, body, timeoutMs: 1000 }));
          expect(error.kind).toBe("refused_address");
        }
        expect(server.received).toEqual([]);
      } finally {
        await guarded.close?.();
      }
    });
  });
}
