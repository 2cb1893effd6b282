import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { createRegistry } from "../../src/config/create-registry.js";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { undiciTransport } from "../../src/transport/index.js";

it("README example", async () => {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feedback`;

  // --- README: Sending: the dispatcher (the URL and the private-network opt-ins are the test's) ---
  const storage = memoryStorage(); // sqliteStorage({ filename }) or postgresStorage({ pool }) in production
  const registry = createRegistry({ storage, allowPrivateNetworks: true });
  await registry.create({
    orgId: "myImsOrg",
    sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
    name: "Feedback to CRM",
    channels: ["email", "sms"],
    url,
    allowHttp: true,
    auth: { type: "none" },
  });
  await registry.enableCampaign({
    orgId: "myImsOrg",
    sandboxName: "prod",
    campaignId: "16f24a15-7e21-477c-848a-d5695ca7f137",
  });

  const dead: string[] = [];
  const dispatcher = createDispatcher({
    storage,
    transport: undiciTransport({ allowPrivateNetworks: true }),
    hooks: { onDead: ({ delivery, reason }) => void dead.push(`${delivery.id}: ${reason}`) },
  });
  dispatcher.start();
  const result = await dispatcher.publish({
    requestId: "8NoByJneShCdCGRnrGS1t1m3CdA73dhR",
    imsOrg: "myImsOrg",
    sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
    channel: "email",
    messageExecution: {
      messageExecutionID: "HUMA-26362805",
      campaignID: "16f24a15-7e21-477c-848a-d5695ca7f137",
      campaignVersionID: "2ca10c10-56dd-4505-87cd-fa5da84e7a5d",
    },
    messageDeliveryFeedback: { feedbackStatus: { value: "delivered" } },
    identityMap: { email: [{ id: "john.doe@luma.com", primary: true }] },
  });
  // --- end of README ---

  expect(result).toMatchObject({ status: "enqueued", duplicate: false });
  const deadline = Date.now() + 5_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await dispatcher.stop({ timeoutMs: 10_000 });
  server.close();
  expect(JSON.parse(received[0]!)).toMatchObject({
    requestId: "8NoByJneShCdCGRnrGS1t1m3CdA73dhR",
    eventType: "message.feedback",
  });
  expect(dead).toEqual([]);
  expect((await dispatcher.stats())[0]).toMatchObject({ pending: 0, successRate: 1 });
});
