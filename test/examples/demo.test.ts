import { describe, expect, it } from "vitest";
import { runNode } from "../cli/cli-harness.js";

describe("npm run demo (examples/demo.ts)", () => {
  it("delivers, retries and verifies a mixed batch, then exits 0 well within 30 s", async () => {
    const started = Date.now();
    const run = await runNode(["--import", "tsx", "examples/demo.ts"], { timeoutMs: 30_000 });
    const elapsed = Date.now() - started;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(elapsed).toBeLessThan(30_000);
    const out = run.stdout;
    expect(out).toContain("published 10 events in one batch: 9 enqueued, 1 skipped");
    expect(out).toContain("skipped: channel_not_subscribed");
    expect(out).toMatch(/↻ \/webhooks\/flaky answered 503; retry in 1 s/);
    for (const status of ["sent", "delivered", "bounce", "error"]) {
      for (const channel of ["email", "sms"])
        expect(out).toMatch(new RegExp(`prod\\s+${status}\\s+${channel}\\s+/webhooks/crm\\s+delivered\\s+200`));
    }
    expect(out).toMatch(/staging\s+delivered\s+email\s+\/webhooks\/flaky\s+delivered\s+503 → 200/);
    expect(out).toContain("delivered  9 of 9");
    expect(out).toContain("retried    1: staging answered 503, then 200");
    expect(out).toContain("verified   9 of 9 by the receiver");
    expect(out).toContain("refused    a forged request: 401 Unauthorized (malformed)");
    expect(out).toContain("allowHttp: true");
    expect(out).toContain("allowPrivateNetworks: true");
  }, 40_000);
});
