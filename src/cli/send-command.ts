import { Argument, type Command, Option } from "commander";
import { Agent, fetch } from "undici";
import { createAuthSigner } from "../auth/index.js";
import { validateHeaders } from "../config/validate-headers.js";
import { createDeliveryIdGenerator } from "../dispatcher/delivery-id.js";
import { deliveryHeaders } from "../dispatcher/delivery-headers.js";
import { ConfigValidationError } from "../errors.js";
import { CHANNELS, type Channel, FEEDBACK_STATUSES, type FeedbackStatus, generateRequestId } from "../schemas/index.js";
import { systemClock } from "../clock.js";
import { addSigningOptions, authConfigFromFlags, type SigningFlags } from "./auth-flags.js";
import { stdout } from "./output.js";
import { collectHeader, httpUrl, integerIn } from "./parse-options.js";
import { createProgressBar } from "./progress-bar.js";
import { sampleEvent, sampleSource } from "./sample-event.js";
import { printSendSummary, type SendResult } from "./send-summary.js";
import { withExamples } from "./with-examples.js";

interface Flags extends SigningFlags {
  url: string;
  channel: Channel | "mixed";
  count: number;
  concurrency: number;
  header?: Record<string, string>;
  org: string;
  sandbox: string;
  timeout: number;
}

/** `mixed` cycles through the four documented statuses. */
const MIXED: readonly FeedbackStatus[] = ["sent", "delivered", "bounce", "error"];
/** One API call targets up to 20 recipients, so up to 20 events share a requestId. */
const RECIPIENTS_PER_REQUEST = 20;

async function run(status: FeedbackStatus | "mixed", flags: Flags): Promise<void> {
  const auth = authConfigFromFlags(flags);
  const headerIssues = validateHeaders(flags.header ?? {}, auth.type);
  if (headerIssues.length > 0) throw new ConfigValidationError(headerIssues, { what: "Invalid --header" });
  const source = sampleSource(flags.org, flags.sandbox);
  const signer = createAuthSigner({ auth, url: flags.url, orgId: flags.org, sandbox: source.sandbox });
  const nextId = createDeliveryIdGenerator(systemClock);
  // A private agent, closed at the end, so idle keep-alive sockets do not hold the process open.
  const agent = new Agent({ connections: flags.concurrency });
  const bar = flags.count > 1 ? createProgressBar(flags.count) : undefined;
  const results: SendResult[] = [];
  let requestId = generateRequestId();

  async function sendOne(index: number): Promise<SendResult> {
    if (index > 0 && index % RECIPIENTS_PER_REQUEST === 0) requestId = generateRequestId();
    const eventStatus = status === "mixed" ? (MIXED[index % MIXED.length] as FeedbackStatus) : status;
    const channel = flags.channel === "mixed" ? (CHANNELS[index % CHANNELS.length] as Channel) : flags.channel;
    const event = sampleEvent(eventStatus, channel, source, requestId);
    const body = JSON.stringify(event);
    const deliveryId = nextId();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = deliveryHeaders({
      custom: flags.header ?? {},
      deliveryId,
      timestamp,
      attempt: 1,
      auth: await signer.sign({ body, deliveryId, timestamp, requestId: event.requestId }),
    });
    const started = performance.now();
    try {
      const response = await fetch(flags.url, {
        method: "POST",
        headers,
        body,
        redirect: "manual",
        dispatcher: agent,
        signal: AbortSignal.timeout(flags.timeout),
      });
      const text = await response.text();
      return {
        status: eventStatus,
        channel,
        deliveryId,
        code: response.status,
        ms: performance.now() - started,
        answer: text,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason =
        (error as Error).name === "TimeoutError"
          ? `timed out after ${flags.timeout} ms`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      return { status: eventStatus, channel, deliveryId, error: reason, ms: performance.now() - started };
    }
  }

  let next = 0;
  const worker = async () => {
    while (next < flags.count) {
      const result = await sendOne(next++);
      results.push(result);
      bar?.tick(result.code !== undefined && result.code >= 200 && result.code < 300);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(flags.concurrency, flags.count) }, worker));
  } finally {
    bar?.done();
    await agent.close();
  }
  const failed = printSendSummary(results, flags.url, stdout);
  if (failed > 0)
    throw new Error(
      `${failed} of ${results.length} event${results.length === 1 ? " was" : "s were"} not accepted (no 2xx answer).`,
    );
}

/**
 * Registers `send`: POSTs realistic sample events, signed exactly like the dispatcher signs its
 * deliveries (the CLI's `stripe trigger`).
 *
 * @example
 * ```ts
 * registerSendCommand(program);
 * ```
 */
export function registerSendCommand(program: Command): void {
  const cmd = program
    .command("send")
    .description("send signed sample feedback events to a URL, as the dispatcher would")
    .addArgument(
      new Argument("<status>", "feedback status, or mixed (sent, delivered, bounce, error in turn)").choices([
        ...FEEDBACK_STATUSES,
        "mixed",
      ]),
    )
    .requiredOption("--url <url>", "where to POST the events", httpUrl)
    .addOption(
      new Option("--channel <channel>", "email, sms, or mixed").choices([...CHANNELS, "mixed"]).default("email"),
    )
    .option("--count <n>", "how many events", integerIn(1, 1_000_000), 1)
    .option("--concurrency <n>", "requests in flight at once", integerIn(1, 256), 8)
    .option("--header <K:V>", "extra header on every request (repeatable)", collectHeader)
    .option("--org <orgId>", "imsOrg of the events (and the JWT sub)", "myImsOrg")
    .option("--sandbox <name>", "sandbox name of the events (and the JWT sub)", "prod")
    .option("--timeout <ms>", "per-request timeout", integerIn(1, 600_000), 15_000)
    .action(run);
  addSigningOptions(cmd);
  withExamples(cmd, [
    'feedback-webhooks send delivered --url http://127.0.0.1:3000/webhooks --secret "$FW_SECRET"',
    "feedback-webhooks send mixed --channel mixed --count 200 --url https://staging.example.com/hooks --private-key signing-key.pem",
    'feedback-webhooks send bounce --url http://localhost:8080/hooks --no-auth --header "x-env: dev"',
  ]);
}
