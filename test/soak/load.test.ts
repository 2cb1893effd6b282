import { describe, it } from "vitest";
import { dispatcherToReceiverLoad } from "../reliability/helpers/load.js";
import { receiverUnderLoad } from "../reliability/helpers/receiver-load.js";

describe("soak: load", () => {
  it("100,000 events dispatcher → receiver on 127.0.0.1 with SQLite and every default: each webhook-id handled exactly once, no retries, live heap bounded", async () => {
    await dispatcherToReceiverLoad({
      events: 100_000,
      timeoutMs: 1_200_000,
      heapLimitMiB: 128,
      label: "dispatcher → receiver, 100,000 events (SQLite, defaults)",
    });
  }, 1_500_000);

  it("a receiver under 64 concurrent connections for 30 s, valid and invalid mixed: every valid request 200, every invalid one its documented status, no heap growth", async () => {
    await receiverUnderLoad({
      connections: 64,
      durationMs: 30_000,
      growthLimitMiB: 16,
      label: "receiver, 64 connections × 30 s",
    });
  }, 120_000);
});
