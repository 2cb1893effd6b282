import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { MockAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kyTransport, undiciTransport } from "../../src/transport/index.js";
import { eventInput, setup } from "./helpers.js";

describe("dispatcher over undici's MockAgent", () => {
  it("retries a reset, then delivers after a 500", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get("https://hooks.example.com");
    pool
      .intercept({ path: "/feedback", method: "POST" })
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    pool.intercept({ path: "/feedback", method: "POST" }).reply(500, "oops");
    pool.intercept({ path: "/feedback", method: "POST" }).reply(200, "ok");
    const h = await setup({ transport: undiciTransport({ dispatcher: agent }) });
    const result = await h.dispatcher.publish(eventInput());
    for (const wait of [0, 5_000, 30_000]) {
      h.clock.advance(wait);
      await h.dispatcher.runOnce();
    }
    const delivery = await h.dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery!.attemptLog.map((a) => [a.statusCode, a.error])).toEqual([
      [undefined, "Request to hooks.example.com failed: ECONNRESET."],
      [500, "HTTP 500"],
      [200, undefined],
    ]);
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});

describe("dispatcher over the ky transport with msw", () => {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());
  const transport = () => kyTransport({ resolveHost: async () => ["93.184.216.34"] });

  it("retries a 404 (a receiver's deploy) and then delivers", async () => {
    let calls = 0;
    server.use(
      http.post("https://hooks.example.com/feedback", () =>
        ++calls === 1 ? new HttpResponse("no route yet", { status: 404 }) : new HttpResponse(null, { status: 200 }),
      ),
    );
    const h = await setup({ transport: transport() });
    const result = await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    h.clock.advance(5_000);
    await h.dispatcher.runOnce();
    const delivery = await h.dispatcher.deliveries.get((result as { deliveryId: string }).deliveryId);
    expect(delivery).toMatchObject({ status: "delivered", attempts: 2 });
    expect(delivery!.attemptLog[0]).toMatchObject({ statusCode: 404, responseBody: "no route yet" });
  });

  it("disables the webhook on 410", async () => {
    server.use(http.post("https://hooks.example.com/feedback", () => new HttpResponse(null, { status: 410 })));
    const h = await setup({ transport: transport() });
    await h.dispatcher.publish(eventInput());
    await h.dispatcher.runOnce();
    expect(await h.storage.getEndpointState(h.config.id)).toMatchObject({ suspendedReason: "gone" });
  });
});
