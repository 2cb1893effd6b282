import { createRegistry } from "../../../src/config/create-registry.js";
import { createDispatcher } from "../../../src/dispatcher/index.js";
import type { Storage } from "../../../src/storage/storage.js";

const ORG = "myImsOrg";
const SANDBOX = { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" };
const CAMPAIGN = "16f24a15-7e21-477c-848a-d5695ca7f137";

/**
 * Configures the test webhook of myImsOrg/prod to `url` (plain http to 127.0.0.1, explicitly
 * allowed) and switches its campaign on.
 *
 * @example
 * ```ts
 * await configureWebhook(storage, receiver.url);
 * ```
 */
export async function configureWebhook(storage: Storage, url: string): Promise<void> {
  const registry = createRegistry({ storage, allowPrivateNetworks: true });
  await registry.create({
    orgId: ORG,
    sandbox: SANDBOX,
    name: "Crash test receiver",
    channels: ["email"],
    url,
    allowHttp: true,
    auth: { type: "none" },
  });
  await registry.enableCampaign({ orgId: ORG, sandboxName: SANDBOX.name, campaignId: CAMPAIGN });
}

/**
 * Configures the webhook (see {@link configureWebhook}) and publishes `count` distinct events
 * through a dispatcher that is never started. Returns the delivery ids.
 *
 * @example
 * ```ts
 * const ids = await seedEvents(storage, receiver.url, 300);
 * ```
 */
export async function seedEvents(storage: Storage, url: string, count: number): Promise<string[]> {
  await configureWebhook(storage, url);
  const publisher = createDispatcher({ storage, allowPrivateNetworks: true });
  const ids: string[] = [];
  for (let start = 0; start < count; start += 100) {
    const events = Array.from({ length: Math.min(100, count - start) }, (_, i) => ({
      requestId: `req-${String(start + i).padStart(6, "0")}`,
      imsOrg: ORG,
      sandbox: SANDBOX,
      channel: "email" as const,
      messageExecution: {
        messageExecutionID: `HUMA-${start + i}`,
        messageType: "transactional",
        campaignID: CAMPAIGN,
        campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
      },
      messageDeliveryFeedback: { feedbackStatus: { value: "delivered" as const }, retryCount: 0 },
      identityMap: { email: [{ id: `user${start + i}@luma.com`, primary: true }] },
    }));
    for (const result of await publisher.publishMany(events)) {
      if (result.status !== "enqueued") throw new Error(`seed event skipped: ${JSON.stringify(result)}`);
      ids.push(result.deliveryId);
    }
  }
  await publisher.stop();
  return ids;
}
