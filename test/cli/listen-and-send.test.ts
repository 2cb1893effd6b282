import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCli, type RunningCli, runCli, scratchDir, startListen } from "./cli-harness.js";

const scratch = scratchDir();
const SECRET = Buffer.alloc(32, 9).toString("base64url");
let cli: Awaited<ReturnType<typeof buildCli>>;
const running: RunningCli[] = [];

async function listen(...args: string[]) {
  const listener = await startListen(cli.bin, args);
  running.push(listener);
  return listener;
}

/** A loopback URL whose port was just free: connecting is refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const send = (...args: string[]) => runCli(cli.bin, ["send", ...args], { timeoutMs: 20_000 });

beforeAll(async () => {
  cli = await buildCli();
}, 60_000);
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});
afterAll(() => {
  cli?.remove();
  scratch.remove();
});

describe("send → listen", () => {
  it("JWT HS256: a mixed batch is verified, one readable line per event, and a summary", async () => {
    const listener = await listen("--secret", SECRET);
    const run = await send("mixed", "--channel", "mixed", "--count", "8", "--url", listener.url, "--secret", SECRET);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`sent 8 events to ${listener.url}: 2 sent, 2 delivered, 2 bounce, 2 error`);
    expect(run.stdout).toMatch(/\n {2}200 {3}8\n/);
    expect(run.stdout).toMatch(/latency: min \d+ ms, p50 \d+ ms, p95 \d+ ms, max \d+ ms/);
    await listener.waitForLines(/^\d\d:\d\d:\d\d {2}\S+/, 8);
    const lines = listener.stdout().trim().split("\n");
    expect(lines).toHaveLength(8);
    // mixed × mixed: statuses cycle by 4 and channels by 2, so every bounce is an email, every error an SMS.
    expect(
      lines.filter((l) => / bounce .* email .*@example\.com .*campaign \S+ {2}request \S{32} .*\(code \d+, /.test(l)),
    ).toHaveLength(2);
    expect(
      lines.filter((l) => / error .* sms .*\+1415555\d{4} .*Admin Failure \(code 25, Admin, sync\)/.test(l)),
    ).toHaveLength(2);
    expect(listener.stdout() + listener.stderr()).not.toContain(SECRET);
  });

  it("a wrong secret is refused: send exits 1 and shows the 401, listen prints why", async () => {
    const listener = await listen("--secret", SECRET);
    const run = await send("delivered", "--url", listener.url, "--secret", Buffer.alloc(32, 1).toString("base64url"));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^delivered email → http:\S+ {2}401 in \d+ ms/);
    expect(run.stdout).toContain('"reason":"signature"');
    expect(run.stderr).toBe("error: 1 of 1 event was not accepted (no 2xx answer).\n");
    await listener.waitFor(/401 rejected: The signature does not verify\. \(signature\)/);
  });

  it("--json writes each verified event as one NDJSON line on stdout, the readable lines on stderr", async () => {
    const listener = await listen("--no-auth", "--json");
    expect((await send("exclude", "--count", "3", "--url", listener.url, "--no-auth")).code).toBe(0);
    await listener.waitForLines(/^\{.*"value":"exclude"/, 3);
    const events = listener
      .stdout()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      eventType: "message.feedback",
      messageDeliveryFeedback: { feedbackStatus: { value: "exclude" } },
    });
    expect(listener.stderr()).toMatch(/exclude .*excluded: Recipient is in quarantine/);
  });

  it("ES256: keygen's private key signs, its public JWK verifies", async () => {
    const keyFile = `${scratch.dir}/es256.pem`;
    const jwk = (await runCli(cli.bin, ["keygen", "--alg", "ES256", "--out", keyFile])).stdout;
    writeFileSync(`${scratch.dir}/es256.jwk`, jwk);
    const listener = await listen("--public-key", `${scratch.dir}/es256.jwk`, "--issuer", "feedback-webhooks");
    expect((await send("bounce", "--url", listener.url, "--private-key", keyFile)).code).toBe(0);
    await listener.waitFor(/bounce .*email/);
    expect(listener.stderr()).toContain("verifying JWT bearer tokens signed with a public key");
  });

  it("Standard Webhooks: a whsec_ secret on both sides", async () => {
    const secret = (await runCli(cli.bin, ["keygen", "--alg", "standard-webhooks"])).stdout.trim();
    const listener = await listen("--secret", secret);
    expect((await send("sent", "--channel", "sms", "--url", listener.url, "--secret", secret)).code).toBe(0);
    await listener.waitFor(/sent .*sms/);
    expect(listener.stderr()).toContain("verifying Standard Webhooks signatures");
  });

  it("requests to another path get a 404 that names the right path", async () => {
    const listener = await listen("--no-auth", "--path", "/hooks");
    const run = await send("sent", "--url", listener.url.replace("/hooks", "/wrong"), "--no-auth");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Not found: POST feedback events to /hooks");
    await listener.waitFor(/404 POST \/wrong \(events are received on \/hooks\)/);
  });

  it("send to a port where nothing listens fails with the network error", async () => {
    const run = await send("sent", "--url", `${await closedPortUrl()}/webhooks`, "--no-auth");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("no answer: ECONNREFUSED");
  });
});

describe("listen --forward", () => {
  let app: Server;
  const received: Array<{ headers: IncomingMessage["headers"]; body: string }> = [];
  const answers: number[] = [];
  let appUrl: string;

  beforeAll(async () => {
    app = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.statusCode = answers.shift() ?? 204;
        res.end();
      });
    }).listen(0, "127.0.0.1");
    await once(app, "listening");
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/my-app/feedback`;
  });
  afterAll(() => {
    app.close();
  });

  it("relays the verified request unchanged and prints the app's answer; a failing app makes the sender retry", async () => {
    const listener = await listen("--secret", SECRET, "--forward", appUrl);
    expect(listener.stderr()).toContain(`forwarding verified events to ${appUrl}`);
    answers.push(500);
    const failed = await send("delivered", "--url", listener.url, "--secret", SECRET);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/ 500 in /);
    await listener.waitFor(/→ forward 500 \(\d+ ms\); answered 500 so the sender retries/);

    const ok = await send("delivered", "--url", listener.url, "--secret", SECRET);
    expect(ok.code).toBe(0);
    await listener.waitFor(/→ forward 204 \(\d+ ms\)\n/);
    const last = received.at(-1);
    expect(last?.headers.authorization).toMatch(/^Bearer ey/);
    expect(last?.headers["webhook-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(last?.body ?? "")).toMatchObject({ eventType: "message.feedback" });
  });

  it("an unreachable app is reported and answered with 500", async () => {
    const listener = await listen("--no-auth", "--forward", `${await closedPortUrl()}/nothing-here`);
    const run = await send("sent", "--url", listener.url, "--no-auth");
    expect(run.code).toBe(1);
    await listener.waitFor(/→ forward failed: ECONNREFUSED; answered 500 so the sender retries/);
  });
});

describe("listen lifecycle", () => {
  it("SIGTERM stops it cleanly (exit 0)", async () => {
    const listener = await listen("--no-auth");
    expect(await listener.stop()).toBe(0);
    expect(listener.stderr()).toContain("stopped");
  });

  it("a port already in use fails with one error line (exit 1)", async () => {
    const listener = await listen("--no-auth");
    const port = new URL(listener.url).port;
    const run = await runCli(cli.bin, ["listen", "--no-auth", "--port", port]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/);
  });
});
