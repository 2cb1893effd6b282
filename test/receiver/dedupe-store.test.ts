import { describe, expect, it } from "vitest";
import { ConfigValidationError } from "../../src/errors.js";
import { createMemoryDedupeStore } from "../../src/receiver/dedupe-store.js";
import { createManualClock } from "../../src/testing/manual-clock.js";

describe("createMemoryDedupeStore", () => {
  it("records a key once: the second add resolves false", async () => {
    const store = createMemoryDedupeStore();
    expect(await store.add("k", Date.now() + 60_000)).toBe(true);
    expect(await store.add("k", Date.now() + 60_000)).toBe(false);
    expect(await store.has("k")).toBe(true);
    expect(await store.has("other")).toBe(false);
  });

  it("forgets a key when it expires", async () => {
    const clock = createManualClock(1_000);
    const store = createMemoryDedupeStore({ clock });
    await store.add("k", 2_000);
    clock.set(1_999);
    expect(await store.has("k")).toBe(true);
    clock.set(2_000);
    expect(await store.has("k")).toBe(false);
    expect(await store.add("k", 3_000)).toBe(true);
  });

  it("keeps at most maxEntries keys, forgetting the oldest first", async () => {
    const store = createMemoryDedupeStore({ maxEntries: 2 });
    const later = Date.now() + 60_000;
    await store.add("a", later);
    await store.add("b", later);
    await store.add("c", later);
    expect([await store.has("a"), await store.has("b"), await store.has("c")]).toEqual([false, true, true]);
  });

  it("refuses a maxEntries that is not a positive integer", () => {
    expect(() => createMemoryDedupeStore({ maxEntries: 0 })).toThrow(ConfigValidationError);
  });
});
