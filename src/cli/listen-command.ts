import { AsyncLocalStorage } from "node:async_hooks";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Command, Option } from "commander";
import { sendWebResponse, toWebRequest } from "../adapters/node-bridge.js";
import { createMemoryDedupeStore, createReceiver, errorToResponse, readBody } from "../receiver/index.js";
import type { AnyFeedbackEvent } from "../schemas/index.js";
import { type ForwardResult, forwardRequest } from "./forward-request.js";
import { formatEventLine } from "./format-event-line.js";
import { describeListenAuth, type ListenAuthFlags, listenAuth } from "./listen-auth.js";
import { formatDuration, type Printer, stderr, stdout, statusStyle } from "./output.js";
import { httpUrl, integerIn } from "./parse-options.js";
import { describeRejection } from "./describe-rejection.js";
import { withExamples } from "./with-examples.js";

interface Flags extends ListenAuthFlags {
  port: number;
  host: string;
  path: string;
  forward?: string;
  forwardTimeout: number;
  json?: boolean;
}

/** One request while it is being received: what the `"*"` handler saw and did. */
interface Exchange {
  headers: Headers;
  body: Uint8Array;
  event?: AnyFeedbackEvent;
  forward?: ForwardResult;
}

function forwardSuffix(result: ForwardResult, lines: Printer): string {
  if ("error" in result)
    return lines.paint("red", `→ forward failed: ${result.error}; answered 500 so the sender retries`);
  const answer = `→ forward ${result.status} (${formatDuration(result.durationMs)})`;
  const ok = result.status >= 200 && result.status < 300;
  return lines.paint(statusStyle(result.status), ok ? answer : `${answer}; answered 500 so the sender retries`);
}

async function run(flags: Flags): Promise<void> {
  const auth = listenAuth(flags);
  const scheme = auth.type === "standard-webhooks" ? "WebhookSignature" : "Bearer";
  // With --json, stdout carries only NDJSON so it can be piped; the readable lines move to stderr.
  const lines = flags.json ? stderr : stdout;
  const exchanges = new AsyncLocalStorage<Exchange>();
  const receiver = createReceiver({
    auth,
    dedupe: { store: createMemoryDedupeStore() },
    // Every refusal is printed below from the answer itself.
    onError: () => {},
  }).on("*", async (event) => {
    const exchange = exchanges.getStore() as Exchange;
    exchange.event = event;
    if (flags.forward === undefined) return;
    exchange.forward = await forwardRequest(flags.forward, exchange.headers, exchange.body, flags.forwardTimeout);
    if ("error" in exchange.forward || exchange.forward.status < 200 || exchange.forward.status >= 300) {
      throw new Error("the forward target did not accept the event");
    }
  });

  async function receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = new Date();
    const time = lines.paint("dim", at.toTimeString().slice(0, 8));
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== flags.path) {
      lines.line(
        `${time}  ${lines.paint("yellow", "404")} ${req.method} ${pathname} (events are received on ${flags.path})`,
      );
      await sendWebResponse(res, new Response(`Not found: POST feedback events to ${flags.path}\n`, { status: 404 }));
      return;
    }
    const request = toWebRequest(req);
    let response: Response;
    const exchange: Exchange = { headers: request.headers, body: new Uint8Array() };
    try {
      exchange.body = await readBody(request, receiver.maxBodyBytes);
      const hasBody = request.method !== "GET" && request.method !== "HEAD";
      const replay = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        body: hasBody ? (exchange.body as Uint8Array<ArrayBuffer>) : null,
      });
      response = await exchanges.run(exchange, () => receiver.handle(replay));
    } catch (error) {
      response = errorToResponse(error, scheme);
    }
    const deliveryId = request.headers.get("webhook-id");
    if (exchange.event !== undefined) {
      const parts = [formatEventLine(exchange.event, { at, attempt: request.headers.get("webhook-attempt") }, lines)];
      if (exchange.forward !== undefined) parts.push(forwardSuffix(exchange.forward, lines));
      lines.line(parts.join("  "));
      if (flags.json) stdout.line(JSON.stringify(exchange.event));
    } else if (response.ok) {
      lines.line(
        `${time}  ${lines.paint("dim", `duplicate delivery ${deliveryId}: already processed, answered ${response.status}`)}`,
      );
    } else {
      lines.line(`${time}  ${await describeRejection(response.clone(), lines)}`);
    }
    await sendWebResponse(res, response);
  }

  const server = createServer((req, res) => {
    receive(req, res).catch((error: unknown) => {
      stderr.line(`${stderr.paint("red", "error:")} ${(error as Error).message}`);
      res.destroy();
    });
  });
  server.listen(flags.port, flags.host);
  await Promise.race([once(server, "listening"), once(server, "error").then(([error]) => Promise.reject(error))]);
  const { port } = server.address() as AddressInfo;
  const host = flags.host.includes(":") ? `[${flags.host}]` : flags.host;
  stderr.line(
    `${stderr.paint(["green", "bold"], "Ready!")} Receiving feedback events on http://${host}:${port}${flags.path}`,
  );
  stderr.line(`  verifying ${describeListenAuth(auth)}`);
  if (flags.forward) stderr.line(`  forwarding verified events to ${flags.forward}`);
  stderr.line(stderr.paint("dim", "  press Ctrl+C to stop"));

  await Promise.race([once(process, "SIGINT"), once(process, "SIGTERM")]);
  server.close();
  server.closeAllConnections();
  stderr.line("stopped");
}

/**
 * Registers `listen`: a local receiver that verifies every request and prints one line per
 * event (the CLI's `stripe listen`).
 *
 * @example
 * ```ts
 * registerListenCommand(program);
 * ```
 */
export function registerListenCommand(program: Command): void {
  const cmd = program
    .command("listen")
    .description("receive feedback events locally: verify each request, print one line per event, optionally relay it")
    .option("--port <port>", "port to listen on (0: any free port)", integerIn(0, 65_535), 3000)
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--path <path>", "path events are POSTed to", "/webhooks")
    .option(
      "--forward <url>",
      "relay each verified event (same body and headers) to your app and print its answer",
      httpUrl,
    )
    .option("--forward-timeout <ms>", "how long --forward waits for your app", integerIn(1, 600_000), 10_000)
    .option("--json", "also print each verified event as one JSON line on stdout (readable lines go to stderr)")
    .optionsGroup("Verification (choose one):")
    .addOption(
      new Option("--secret <secret>", "HS* JWT secret, or a whsec_… Standard Webhooks secret").env("FW_SECRET"),
    )
    .addOption(
      new Option("--secret-encoding <enc>", "how --secret is encoded")
        .choices(["utf8", "base64", "base64url", "hex"])
        .default("base64url"),
    )
    .option("--public-key <file>", "public key file (SPKI PEM or JWK) for RS256/PS256/ES256/EdDSA tokens")
    .option("--jwks <url>", "URL of the sender's JSON Web Key Set")
    .option("--issuer <iss>", "require this iss claim")
    .option("--audience <aud>", "require this aud claim")
    .option("--no-auth", "accept unauthenticated requests (development only)")
    .action(run);
  withExamples(cmd, [
    'feedback-webhooks listen --secret "$FW_SECRET"',
    "feedback-webhooks listen --public-key signing-key.public.jwk --forward http://localhost:8080/feedback",
    "feedback-webhooks listen --no-auth --port 0 --json | jq .messageDeliveryFeedback.feedbackStatus.value",
  ]);
}
