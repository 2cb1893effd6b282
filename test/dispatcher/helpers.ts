import { createRegistry, type WebhookRegistry } from "../../src/config/create-registry.js";
import type { WebhookConfig } from "../../src/config/webhook-config.js";
import type { WebhookConfigInput } from "../../src/config/webhook-config-schema.js";
import { createDispatcher, type Dispatcher, type DispatcherOptions } from "../../src/dispatcher/index.js";
import type { LogMethod, Logger } from "../../src/dispatcher/logger.js";
import type { FeedbackEventInput } from "../../src/schemas/index.js";
import { type MemoryStorage, memoryStorage } from "../../src/storage/memory/index.js";
import { createManualClock, type ManualClock } from "../../src/testing/manual-clock.js";
import { createRecordingTransport, type RecordingTransport } from "../../src/testing/recording-transport.js";

export const ORG = "myImsOrg";
export const SANDBOX = { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" };
export const CAMPAIGN = "16f24a15-7e21-477c-848a-d5695ca7f137";

/** The documented example event, as a sender gives it; override one field per test. */
export function eventInput(
  overrides: Partial<FeedbackEventInput<"bounce", "email">> = {},
): FeedbackEventInput<"bounce", "email"> {
  return {
    requestId: "8NoByJneShCdCGRnrGS1t1m3CdA73dhR",
    imsOrg: ORG,
    sandbox: SANDBOX,
    channel: "email",
    messageExecution: {
      messageExecutionID: "HUMA-26362805",
      messageType: "transactional",
      campaignID: CAMPAIGN,
      campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
    },
    messageDeliveryFeedback: {
      feedbackStatus: { value: "bounce" },
      messageFailure: { category: "sync", type: "Ignored", code: "25", reason: "Admin Failure" },
      retryCount: 0,
    },
    identityMap: { email: [{ id: "john.doe@luma.com", primary: true }] },
    ...overrides,
  };
}

/** A logger that keeps every call, to assert on what reaches logs. */
export function captureLogger(): Logger & { calls: Array<{ level: string; fields: unknown; message: string }> } {
  const calls: Array<{ level: string; fields: unknown; message: string }> = [];
  const at =
    (level: string): LogMethod =>
    (fields, message) =>
      calls.push({ level, fields, message });
  return { calls, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export interface Harness {
  clock: ManualClock;
  storage: MemoryStorage;
  registry: WebhookRegistry;
  config: WebhookConfig;
  transport: RecordingTransport;
  dispatcher: Dispatcher;
  logger: ReturnType<typeof captureLogger>;
}

/**
 * A dispatcher over memory storage, a manual clock and a recording transport, with one
 * configuration for ORG/prod (email + sms) and the campaign switched on. No jitter by default.
 */
export async function setup(
  options: Partial<DispatcherOptions> = {},
  config: Partial<WebhookConfigInput> = {},
): Promise<Harness> {
  const clock = createManualClock(Date.UTC(2025, 0, 1));
  const storage = memoryStorage({ clock });
  const registry = createRegistry({ storage, clock, allowPrivateNetworks: true });
  const created = await registry.create({
    orgId: ORG,
    sandbox: SANDBOX,
    name: "Feedback to CRM",
    channels: ["email", "sms"],
    url: "https://hooks.example.com/feedback",
    auth: { type: "none" },
    headers: { "X-Tenant": "acme" },
    ...config,
  });
  await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
  const transport = createRecordingTransport();
  const logger = captureLogger();
  const dispatcher = createDispatcher({
    storage,
    transport,
    clock,
    logger,
    retry: { jitter: 0 },
    pollIntervalMs: 5,
    ...options,
  });
  return { clock, storage, registry, config: created, transport, dispatcher, logger };
}

/** Resolves when `predicate` holds, polling every 5 ms of real time (bounded). */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
