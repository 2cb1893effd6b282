import { describe, it } from "vitest";
import { dispatcherToReceiverLoad } from "./helpers/load.js";
import { receiverUnderLoad } from "./helpers/receiver-load.js";

// Short versions; test/soak/load.test.ts runs 100,000 events and 30 s.
describe("load (short)", () => {
  it("500 events dispatcher → receiver on 127.0.0.1 with SQLite (default durability and concurrency): each webhook-id handled exactly once, no retries, heap bounded", async () => {
    await dispatcherToReceiverLoad({
      events: 500,
      perEndpoint: 4,
      timeoutMs: 60_000,
      heapLimitMiB: 64,
      label: "dispatcher → receiver, 500 events (SQLite, defaults)",
    });
  }, 90_000);

  it("a receiver under 64 concurrent connections for 3 s, valid and invalid mixed: every valid request 200, every invalid one its documented status, no heap growth", async () => {
    await receiverUnderLoad({
      connections: 64,
      durationMs: 3000,
      growthLimitMiB: 24,
      label: "receiver, 64 connections × 3 s",
    });
  }, 30_000);
});
