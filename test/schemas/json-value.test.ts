import { describe, expect, it } from "vitest";
import { isJsonValue } from "../../src/schemas/index.js";

describe("isJsonValue", () => {
  it.each([null, true, 0, -0, 1.5, "", "x", [], {}, [1, "a", null, { b: [true] }], Object.create(null)])(
    "accepts %j",
    (value) => {
      expect(isJsonValue(value)).toBe(true);
    },
  );

  it.each([
    ["undefined", undefined],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a bigint", 1n],
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a nested undefined", { a: [1, undefined] }],
    ["a hole", new Array(2)],
  ])("refuses %s", (_name, value) => {
    expect(isJsonValue(value)).toBe(false);
  });

  it("refuses a cycle but accepts a shared reference", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = { again: cyclic };
    expect(isJsonValue(cyclic)).toBe(false);
    const shared = { id: 1 };
    expect(isJsonValue({ a: shared, b: [shared, shared] })).toBe(true);
  });

  it("walks a million levels without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 1_000_000; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    expect(isJsonValue(deep)).toBe(true);
  });

  it("treats own __proto__ keys of parsed JSON as plain data", () => {
    expect(isJsonValue(JSON.parse('{"__proto__": {"x": [1]}, "constructor": 1}'))).toBe(true);
  });
});
