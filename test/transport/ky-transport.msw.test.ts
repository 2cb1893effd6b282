import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { kyTransport } from "../../src/transport/index.js";

// msw intercepts fetch, which ky uses; it cannot intercept undici's `request` (see undici tests).
const server = setupServer();
const url = "https://hooks.example.com/feedback";
const request = {
  url,
  headers: { "content-type": "application/json", "webhook-id": "d-1" },
  body: '{"a":1}',
  timeoutMs: 2000,
};
const publicDns = async () => ["93.184.216.34"];

describe("kyTransport with msw", () => {
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("sends the body and headers and returns the answer", async () => {
    let seen: { body: string; id: string | null } | undefined;
    server.use(
      http.post(url, async ({ request: req }) => {
        seen = { body: await req.text(), id: req.headers.get("webhook-id") };
        return new HttpResponse("ok", { status: 202, headers: { "x-request-id": "abc" } });
      }),
    );
    const res = await kyTransport({ resolveHost: publicDns }).send(request);
    expect(res).toMatchObject({ status: 202, body: "ok", headers: { "x-request-id": "abc" } });
    expect(seen).toEqual({ body: '{"a":1}', id: "d-1" });
  });

  it("turns a network error into a TransportError of kind network", async () => {
    server.use(http.post(url, () => HttpResponse.error()));
    await expect(kyTransport({ resolveHost: publicDns }).send(request)).rejects.toMatchObject({ kind: "network" });
  });

  it("refuses a host whose DNS answer is private, before any request", async () => {
    let called = false;
    server.use(
      http.post(url, () => {
        called = true;
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const transport = kyTransport({ resolveHost: async () => ["169.254.169.254"] });
    await expect(transport.send(request)).rejects.toMatchObject({ kind: "refused_address" });
    expect(called).toBe(false);
  });
});
