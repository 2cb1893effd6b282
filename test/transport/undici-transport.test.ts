import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { getEventListeners } from "node:events";
import { connect, type AddressInfo } from "node:net";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigValidationError, TransportError } from "../../src/errors.js";
import { undiciTransport } from "../../src/transport/index.js";
import { reply, startTestServer } from "./test-server.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const request = { headers: { "content-type": "application/json" }, body: "{}", timeoutMs: 3000 };

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe("undiciTransport", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("validates its options once, listing every problem", () => {
    const error = (() => {
      try {
        undiciTransport({ connectionsPerOrigin: 0, proxy: "ftp://proxy" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).issues.map((i) => i.path)).toEqual(["connectionsPerOrigin", "proxy"]);
  });

  it("uses an injected dispatcher such as undici's MockAgent", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://hooks.example.com")
      .intercept({ path: "/feedback", method: "POST", body: "{}" })
      .reply(503, "busy", { headers: { "retry-after": "5" } });
    const transport = undiciTransport({ dispatcher: agent });
    const res = await transport.send({ url: "https://hooks.example.com/feedback", ...request });
    expect(res).toEqual({ status: 503, headers: { "retry-after": "5" }, body: "busy" });
    await transport.close?.();
    await agent.close();
  });

  it("trusts a custom CA and presents a client certificate (mTLS)", async () => {
    const server = createHttpsServer(
      {
        key: fixture("server-key.pem"),
        cert: fixture("server.pem"),
        ca: fixture("ca.pem"),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => res.end(`hello ${(req.socket as import("node:tls").TLSSocket).getPeerCertificate().subject.CN}`),
    );
    const port = await listen(server);
    cleanups.push(() => close(server));
    const url = `https://127.0.0.1:${port}/hook`;

    const mtls = undiciTransport({
      allowPrivateNetworks: true,
      ca: fixture("ca.pem"),
      clientCertificate: { cert: fixture("client.pem"), key: fixture("client-key.pem") },
    });
    cleanups.push(() => mtls.close!());
    expect(await mtls.send({ url, ...request })).toMatchObject({ status: 200, body: "hello client" });

    const noClientCert = undiciTransport({ allowPrivateNetworks: true, ca: fixture("ca.pem") });
    cleanups.push(() => noClientCert.close!());
    await expect(noClientCert.send({ url, ...request })).rejects.toMatchObject({ kind: "network" });

    const noCa = undiciTransport({ allowPrivateNetworks: true });
    cleanups.push(() => noCa.close!());
    await expect(noCa.send({ url, ...request })).rejects.toBeInstanceOf(TransportError);
  });

  it("sends through an HTTP proxy (CONNECT tunnel)", async () => {
    const target = createHttpServer((_req, res) => res.end("via proxy"));
    const targetPort = await listen(target);
    cleanups.push(() => close(target));
    const tunnels: string[] = [];
    const proxy = createHttpServer();
    proxy.on("connect", (req, socket, head) => {
      tunnels.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
      });
      upstream.on("error", () => socket.destroy());
      socket.on("error", () => upstream.destroy());
    });
    const proxyPort = await listen(proxy);
    cleanups.push(() => close(proxy));

    const transport = undiciTransport({ allowPrivateNetworks: true, proxy: `http://127.0.0.1:${proxyPort}` });
    cleanups.push(() => transport.close!());
    const res = await transport.send({ url: `http://127.0.0.1:${targetPort}/hook`, ...request });
    expect(res).toMatchObject({ status: 200, body: "via proxy" });
    expect(tunnels).toEqual([`127.0.0.1:${targetPort}`]);
  });

  it("counts the wait for a pooled connection in timeoutMs", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    server.route("/hang", () => undefined);
    const transport = undiciTransport({ allowPrivateNetworks: true, connectionsPerOrigin: 1 });
    cleanups.push(() => transport.close!());
    const hung = transport.send({ url: `${server.origin}/hang`, ...request, timeoutMs: 1000 });
    const started = performance.now();
    const queued = transport.send({ url: `${server.origin}/hang`, ...request, timeoutMs: 150 });
    await expect(queued).rejects.toMatchObject({ kind: "timeout" });
    expect(performance.now() - started).toBeLessThan(700);
    await expect(hung).rejects.toMatchObject({ kind: "timeout" });
  });

  it("aborts a request still waiting for a pooled connection at once", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    server.route("/hang", () => undefined);
    const transport = undiciTransport({ allowPrivateNetworks: true, connectionsPerOrigin: 1 });
    cleanups.push(() => transport.close!());
    const hung = transport.send({ url: `${server.origin}/hang`, ...request, timeoutMs: 1000 });
    const controller = new AbortController();
    const queued = transport.send({ url: `${server.origin}/hang`, ...request, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const started = performance.now();
    await expect(queued).rejects.toMatchObject({ kind: "aborted" });
    expect(performance.now() - started).toBeLessThan(700);
    await expect(hung).rejects.toMatchObject({ kind: "timeout" });
  });

  it("stops an endless body at 4 KiB, closes that socket and keeps the pool usable", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    let closed = false;
    server.route("/endless", (_req, res) => {
      res.writeHead(200);
      const chunk = "y".repeat(16_384);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on("drain", pump);
      res.on("close", () => {
        closed = true;
      });
      pump();
    });
    server.route("/ok", reply(200, "next"));
    const transport = undiciTransport({ allowPrivateNetworks: true, connectionsPerOrigin: 1 });
    cleanups.push(() => transport.close!());
    const res = await transport.send({ url: `${server.origin}/endless`, ...request });
    expect(res.body).toBe("y".repeat(4096));
    await expect(transport.send({ url: `${server.origin}/ok`, ...request })).resolves.toMatchObject({ body: "next" });
    expect(closed).toBe(true);
  });

  it("shares one listener on a signal given to many requests in flight", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    server.route("/hang", () => undefined);
    const transport = undiciTransport({ allowPrivateNetworks: true, connectionsPerOrigin: 32 });
    cleanups.push(() => transport.close!());
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    cleanups.push(async () => process.off("warning", onWarning));
    const controller = new AbortController();
    const pending = Array.from({ length: 20 }, () =>
      transport.send({ url: `${server.origin}/hang`, ...request, signal: controller.signal }),
    );
    // One shared listener at most, not one per request (which would warn past 10).
    expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
    controller.abort();
    const results = await Promise.allSettled(pending);
    expect(results.map((r) => r.status === "rejected" && (r.reason as TransportError).kind)).toEqual(
      Array(20).fill("aborted"),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
  });

  it("skips 1xx informational answers and returns the final one", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.close());
    server.route("/hints", (_req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload" });
      res.writeHead(202, { "x-final": "yes" }).end("accepted");
    });
    const transport = undiciTransport({ allowPrivateNetworks: true });
    cleanups.push(() => transport.close!());
    const res = await transport.send({ url: `${server.origin}/hints`, ...request });
    expect(res).toMatchObject({ status: 202, body: "accepted" });
    expect(res.headers["x-final"]).toBe("yes");
    expect(res.headers.link).toBeUndefined();
  });

  it("reports a URL that is not http: or https: as a network error", async () => {
    const transport = undiciTransport({ allowPrivateNetworks: true });
    cleanups.push(() => transport.close!());
    for (const url of ["ftp://example.com/hook", "file:///etc/passwd"]) {
      await expect(transport.send({ url, ...request })).rejects.toMatchObject({ kind: "network" });
    }
  });

  it("refuses a private target behind a proxy before sending", async () => {
    const transport = undiciTransport({ proxy: "http://127.0.0.1:9" });
    cleanups.push(() => transport.close!());
    await expect(transport.send({ url: "https://localhost/hook", ...request })).rejects.toMatchObject({
      kind: "refused_address",
    });
  });
});
