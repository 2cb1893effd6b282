import { describe, expect, it, vi } from "vitest";
import { ConfigValidationError } from "../../src/errors.js";
import { createReceiver, type ReceiverOptions } from "../../src/receiver/index.js";
import { createManualClock, signTestRequest, testKeys } from "../../src/testing/index.js";

function receiverWith(overrides: Partial<ReceiverOptions> = {}) {
  const onError = vi.fn();
  const bounce = vi.fn();
  const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, onError, ...overrides }).on("bounce", bounce);
  return { receiver, onError, bounce };
}

describe("createReceiver options", () => {
  it("requires auth to be chosen explicitly", () => {
    expect(() => createReceiver({} as ReceiverOptions)).toThrow(/auth: required/);
  });

  it("lists every problem at once, auth problems under auth.", () => {
    const options = { auth: { type: "jwt", secret: "short" }, maxBodyBytes: -1, handlerTimeoutMs: 0, maxBody: 1 };
    try {
      createReceiver(options as unknown as ReceiverOptions);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigValidationError);
      const paths = (error as ConfigValidationError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(["maxBody", "maxBodyBytes", "handlerTimeoutMs"]));
      expect(paths.some((p) => p.startsWith("auth."))).toBe(true);
    }
  });

  it("freezes the receiver", () => {
    expect(Object.isFrozen(receiverWith().receiver)).toBe(true);
  });

  it("refuses an unknown status in on()", () => {
    expect(() => receiverWith().receiver.on("opened" as "sent", () => {})).toThrow(ConfigValidationError);
  });

  it("ready() resolves once the keys are imported", async () => {
    await expect(receiverWith({ auth: testKeys.es256.receiverAuth }).receiver.ready()).resolves.toBeUndefined();
  });

  it("the default body limit is 256 KiB", async () => {
    const receiver = createReceiver({ auth: { type: "none" } });
    expect(receiver.maxBodyBytes).toBe(262_144);
    const request = await signTestRequest(" ".repeat(262_145), { key: testKeys.none });
    expect((await receiver.handle(request)).status).toBe(413);
  });

  it("clock drives the token age checks", async () => {
    const clock = createManualClock(Date.now() + 3_600_000);
    const receiver = createReceiver({ auth: testKeys.hs256.receiverAuth, clock, onError: () => {} });
    const response = await receiver.handle(await signTestRequest({}, { key: testKeys.hs256 }));
    expect(await response.json()).toMatchObject({ status: 401, reason: "expired" });
  });
});

describe("headerReaderOf", () => {
  it("reads a plain record case-insensitively, joins repeated values and skips pseudo-headers", async () => {
    const { headerReaderOf } = await import("../../src/receiver/to-headers.js");
    const reader = headerReaderOf({ Authorization: "Bearer x", "x-a": ["1", "2"], ":method": "POST", gone: undefined });
    expect(reader.get("authorization")).toBe("Bearer x");
    expect(reader.get("X-A")).toBe("1, 2");
    expect(reader.get(":method")).toBeNull();
    expect(reader.get("gone")).toBeNull();
    expect(reader.get("missing")).toBeNull();
    // Names differing only in case are one header, joined in order, as Headers joins them.
    const twice = { "X-B": "1", "x-b": ["2", "3"], "x-bb": "no" };
    expect(headerReaderOf(twice).get("x-b")).toBe(
      new Headers([
        ["X-B", "1"],
        ["x-b", "2"],
        ["x-b", "3"],
      ]).get("x-b"),
    );
    expect(headerReaderOf(twice).get("x-b")).toBe("1, 2, 3");
    const web = new Headers({ a: "1" });
    expect(headerReaderOf(web)).toBe(web);
  });
});
