import { describe, expect, it } from "vitest";
import { createAttemptWindow } from "../../src/dispatcher/stats.js";

describe("createAttemptWindow", () => {
  it("summarizes only the last `size` attempts of each endpoint", () => {
    const window = createAttemptWindow(3);
    window.record("a", false, 900);
    window.record("a", false, 800);
    for (const ms of [30, 10, 20]) window.record("a", true, ms);
    window.record("b", false, 5);
    expect(window.summary("a")).toEqual({ successRate: 1, latencyP50Ms: 20, latencyP99Ms: 30 });
    window.record("a", false, 40);
    expect(window.summary("a")).toEqual({ successRate: 2 / 3, latencyP50Ms: 20, latencyP99Ms: 40 });
    expect(window.summary("b")).toEqual({ successRate: 0, latencyP50Ms: 5, latencyP99Ms: 5 });
    expect(window.summary("c")).toEqual({});
    expect(window.configIds()).toEqual(["a", "b"]);
  });

  it("keeps a thousand attempts per endpoint by default", () => {
    const window = createAttemptWindow();
    for (let i = 0; i < 1000; i++) window.record("a", false, 1);
    for (let i = 0; i < 1000; i++) window.record("a", true, 2);
    expect(window.summary("a")).toEqual({ successRate: 1, latencyP50Ms: 2, latencyP99Ms: 2 });
    window.record("a", false, 1);
    expect(window.summary("a").successRate).toBe(0.999);
  });
});
