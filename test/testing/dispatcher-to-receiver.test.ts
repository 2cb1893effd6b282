import { describe, expect, it, vi } from "vitest";
import { createRegistry } from "../../src/config/create-registry.js";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { createReceiver } from "../../src/receiver/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { createRecordingTransport, createTestEvent, TEST_WEBHOOK_URL, testKeys } from "../../src/testing/index.js";

describe("the recording transport between our dispatcher and a receiver", () => {
  it.each(["hs256", "es256", "standardWebhooks"] as const)(
    "%s: what the dispatcher sends, the receiver built from the same test key accepts",
    async (key) => {
      const bounce = vi.fn();
      const receiver = createReceiver({ auth: testKeys[key].receiverAuth }).on("bounce", bounce);
      const transport = createRecordingTransport(async (request) => {
        const response = await receiver.handle(new Request(request.url, { method: "POST", headers: request.headers, body: request.body }));
        return { status: response.status };
      });
      const storage = memoryStorage();
      const event = createTestEvent("bounce");
      await createRegistry({ storage }).create({
        orgId: event.imsOrg,
        sandbox: event.sandbox,
        name: "test",
        channels: ["email"],
        url: TEST_WEBHOOK_URL,
        auth: testKeys[key].senderAuth,
      });
      await createRegistry({ storage }).enableCampaign({
        orgId: event.imsOrg,
        sandboxName: event.sandbox.name,
        campaignId: event.messageExecution.campaignID,
      });
      const dispatcher = createDispatcher({ storage, transport });
      expect(await dispatcher.publish(event)).toMatchObject({ status: "enqueued" });
      await dispatcher.runOnce();
      expect(transport.requests).toHaveLength(1);
      expect(bounce.mock.calls[0]?.[0]).toEqual(event);
    },
  );
});
