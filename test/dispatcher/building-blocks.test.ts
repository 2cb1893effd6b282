import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  createDeliveryIdGenerator,
  DISPATCHER_DEFAULTS,
  deliveryHeaders,
  nextRetry,
  parseRetryAfter,
  redactFields,
  redactText,
} from "../../src/dispatcher/index.js";
import { createRateLimiter } from "../../src/dispatcher/rate-limiter.js";
import { createManualClock } from "../../src/testing/manual-clock.js";
import { VERSION } from "../../src/version.js";

const policy = {
  schedule: DISPATCHER_DEFAULTS.schedule,
  jitter: 0.2,
  maxAgeMs: 3 * 86_400_000,
  maxRetryAfterMs: 3_600_000,
};
const retry = (failedAttempt: number, random: number, extra: { ageMs?: number; retryAfterMs?: number } = {}) =>
  nextRetry(policy, { failedAttempt, ageMs: extra.ageMs ?? 0, retryAfterMs: extra.retryAfterMs, random: () => random });

describe("VERSION", () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});

describe("nextRetry", () => {
  it("follows the default schedule of about a day over 10 attempts", () => {
    const total = DISPATCHER_DEFAULTS.schedule.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(26);
    expect(retry(1, 0.5)).toEqual({ retryInMs: 5_000 });
    expect(retry(9, 0.5)).toEqual({ retryInMs: 12 * 3_600_000 });
    expect(retry(10, 0.5)).toEqual({ giveUp: "max_attempts" });
  });

  it("applies ±20 % proportional jitter", () => {
    expect(retry(2, 0)).toEqual({ retryInMs: 24_000 });
    expect(retry(2, 1)).toEqual({ retryInMs: 36_000 });
  });

  it("honours Retry-After above the scheduled delay, capped", () => {
    expect(retry(1, 0.5, { retryAfterMs: 60_000 })).toEqual({ retryInMs: 60_000 });
    expect(retry(1, 0.5, { retryAfterMs: 1_000 })).toEqual({ retryInMs: 5_000 });
    expect(retry(1, 0.5, { retryAfterMs: 86_400_000 })).toEqual({ retryInMs: 3_600_000 });
  });

  it("gives up when the retry would land past the maximum age", () => {
    expect(retry(9, 0.5, { ageMs: 3 * 86_400_000 - 3_600_000 })).toEqual({ giveUp: "max_age" });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2025, 0, 1);
  it.each([
    ["120", 120_000],
    ["0", 0],
    ["Wed, 01 Jan 2025 00:02:00 GMT", 120_000],
    ["Tue, 31 Dec 2024 23:00:00 GMT", 0],
    ["Wednesday, 01-Jan-25 00:01:00 GMT", 60_000],
    ["Wed Jan  1 00:01:00 2025", 60_000],
    ["2025-01-01T00:01:00Z", undefined],
    ["soon", undefined],
    ["-5", undefined],
    ["1.5", undefined],
    [undefined, undefined],
  ])("parses %s", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("delivery ids", () => {
  it("are UUIDv7, strictly increasing even when the clock stands still or steps back", () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const next = createDeliveryIdGenerator(clock);
    const ids = [next(), next()];
    clock.set(Date.UTC(2024, 0, 1));
    ids.push(next());
    clock.set(Date.UTC(2026, 0, 1));
    ids.push(next());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids[0]!.replace(/-/g, "").slice(0, 12)).toBe(Date.UTC(2025, 0, 1).toString(16).padStart(12, "0"));
  });
});

describe("deliveryHeaders", () => {
  it("lets neither custom headers nor their case shadow the SDK's own", () => {
    const headers = deliveryHeaders({
      custom: { "X-Tenant": "acme", "Webhook-Id": "forged" },
      deliveryId: "d-1",
      timestamp: 1_735_689_600,
      attempt: 3,
      auth: { Authorization: "Bearer t" },
    });
    expect(headers).toEqual({
      "x-tenant": "acme",
      "webhook-id": "d-1",
      "content-type": "application/json",
      "user-agent": `feedback-webhooks/${VERSION}`,
      "webhook-timestamp": "1735689600",
      "webhook-attempt": "3",
      authorization: "Bearer t",
    });
  });
});

describe("redaction", () => {
  it("masks addresses, phones, tokens and secrets in text", () => {
    const text = redactText(
      "john.doe@luma.com +1 415 555 0123 Bearer abc.def eyJhbGciOi.eyJzdWIi.sig whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    );
    expect(text).toBe("[email] [phone] Bearer [redacted] [jwt] [secret]");
  });

  it("drops sensitive keys and errors' details at any depth", () => {
    const out = redactFields({
      deliveryId: "d-1",
      headers: { authorization: "Bearer x", "x-tenant": "acme" },
      identities: ["john.doe@luma.com"],
      error: Object.assign(new Error("no mailbox john.doe@luma.com"), { code: "E_X" }),
    });
    expect(out).toEqual({
      deliveryId: "d-1",
      headers: { authorization: "[redacted]", "x-tenant": "acme" },
      identities: "[redacted]",
      error: { name: "Error", code: "E_X", message: "no mailbox [email]" },
    });
  });
});

describe("rate limiter", () => {
  it("allows bursts up to the rate and refills on the injected clock", () => {
    const clock = createManualClock();
    const limiter = createRateLimiter(2, clock);
    expect([limiter.tryTake("a"), limiter.tryTake("a"), limiter.tryTake("a"), limiter.tryTake("b")]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(limiter.limited()).toEqual(["a"]);
    clock.advance(500);
    expect([limiter.tryTake("a"), limiter.tryTake("a")]).toEqual([true, false]);
  });

  it("supports rates below one per second", () => {
    const clock = createManualClock();
    const limiter = createRateLimiter(0.2, clock);
    expect([limiter.tryTake("a"), limiter.tryTake("a")]).toEqual([true, false]);
    clock.advance(4_999);
    expect(limiter.tryTake("a")).toBe(false);
    clock.advance(1);
    expect(limiter.tryTake("a")).toBe(true);
  });

  it("never limits without a rate", () => {
    const limiter = createRateLimiter(undefined, createManualClock());
    for (let i = 0; i < 100; i++) expect(limiter.tryTake("a")).toBe(true);
    expect(limiter.limited()).toEqual([]);
    expect([limiter.burst, limiter.available("a")]).toEqual([Infinity, Infinity]);
  });

  it("reports whole tokens available per key, a full burst for a key never taken from", () => {
    const clock = createManualClock();
    const limiter = createRateLimiter(2.5, clock);
    expect([limiter.burst, limiter.available("a")]).toEqual([2, 2]);
    limiter.tryTake("a");
    limiter.tryTake("a");
    expect(limiter.available("a")).toBe(0);
    clock.advance(400);
    expect(limiter.available("a")).toBe(1);
    expect(limiter.limited()).toEqual([]);
  });
});
