import * as crypto from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createDeliveryIdGenerator } from "../../src/dispatcher/delivery-id.js";
import { createManualClock } from "../../src/testing/manual-clock.js";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, randomFillSync: vi.fn(actual.randomFillSync) };
});

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
// The 62 random bits: variant nibble masked off, then the last 15 hex digits.
const randomPart = (id: string) => id.replace(/-/g, "").slice(17);

describe("delivery ids from a pool of random bytes", () => {
  it("fill the pool once per 256 ids instead of drawing random bytes per id", () => {
    const fill = vi.mocked(crypto.randomFillSync);
    fill.mockClear();
    const next = createDeliveryIdGenerator(createManualClock(Date.UTC(2025, 0, 1)));
    for (let i = 0; i < 512; i++) next();
    expect(fill).toHaveBeenCalledTimes(2);
    next();
    expect(fill).toHaveBeenCalledTimes(3);
  });

  it("never reuse random bits across pool refills, and stay valid UUIDv7", () => {
    const next = createDeliveryIdGenerator(createManualClock(Date.UTC(2025, 0, 1)));
    const ids = Array.from({ length: 1000 }, () => next());
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids.map(randomPart)).size).toBe(ids.length);
  });

  it("move to the next millisecond after 4,096 ids in one, staying strictly increasing", () => {
    const start = Date.UTC(2025, 0, 1);
    const next = createDeliveryIdGenerator(createManualClock(start));
    const ids = Array.from({ length: 4097 }, () => next());
    expect([...ids].sort()).toEqual(ids);
    const millis = (id: string) => Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16);
    expect(millis(ids[4095]!)).toBe(start);
    expect(millis(ids[4096]!)).toBe(start + 1);
  });
});
