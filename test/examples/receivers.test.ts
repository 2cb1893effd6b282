import { afterEach, describe, expect, it } from "vitest";
import { generateSigningKey } from "../../src/auth/index.js";
import { createTestEvent, signTestPayload, type TestKey } from "../../src/testing/index.js";
import { type RunningCli, runNode, startNode } from "../cli/cli-harness.js";

// The HS256 secret the example reads from FEEDBACK_SECRET, and a test key that signs with it.
const generated = generateSigningKey("HS256");
const key: TestKey = {
  senderAuth: { type: "jwt", algorithm: "HS256", issuer: "feedback-webhooks", keys: [generated.configKey] },
  receiverAuth: { type: "jwt", secret: generated.configKey },
};
const otherKey = generateSigningKey("HS256");
const wrongKey: TestKey = {
  ...key,
  senderAuth: { ...key.senderAuth, keys: [otherKey.configKey] } as TestKey["senderAuth"],
};

const running: RunningCli[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function post(url: string, event: object, signWith: TestKey): Promise<number> {
  const { headers, body } = await signTestPayload(event, { key: signWith, url });
  return (await fetch(url, { method: "POST", headers, body })).status;
}

describe.each(["node", "express", "fastify", "hono", "web"])("examples/receiver-%s.ts", (name) => {
  it("verifies, handles and logs events; refuses a wrong signature", async () => {
    const example = startNode(["--import", "tsx", `examples/receiver-${name}.ts`], {
      env: { PORT: "0", FEEDBACK_SECRET: generated.secret, FEEDBACK_ISSUER: "feedback-webhooks" },
    });
    running.push(example);
    const [, url] = await example.waitFor(/Receiving feedback webhooks on (http:\S+)/, 15_000);
    const target = url as string;

    expect(await post(target, createTestEvent("bounce"), key)).toBe(200);
    expect(await post(target, createTestEvent("delivered", { channel: "sms" }), key)).toBe(200);
    expect(await post(target, createTestEvent("sent"), wrongKey)).toBe(401);
    await example.waitFor(/bounce email request \S+ \(delivery \S+, attempt 1\)\n[\s\S]*delivered sms request/);
    expect(example.stdout()).not.toContain("sent email");
  }, 30_000);
});

describe("a receiver example without FEEDBACK_SECRET", () => {
  it("says what to set and exits 1", async () => {
    const run = await runNode(["--import", "tsx", "examples/receiver-node.ts"], { env: { PORT: "0" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Set FEEDBACK_SECRET");
  }, 20_000);
});
