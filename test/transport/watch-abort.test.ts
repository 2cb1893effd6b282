import { getEventListeners } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { unwatchAbort, watchAbort } from "../../src/transport/watch-abort.js";

describe("watchAbort", () => {
  it("tells every watcher once, through one listener on the signal", () => {
    const controller = new AbortController();
    const first = { onAbort: vi.fn() };
    const second = { onAbort: vi.fn() };
    watchAbort(controller.signal, first);
    watchAbort(controller.signal, second);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    controller.abort();
    controller.abort();
    expect(first.onAbort).toHaveBeenCalledTimes(1);
    expect(second.onAbort).toHaveBeenCalledTimes(1);
  });

  it("does not tell a watcher that stopped watching", () => {
    const controller = new AbortController();
    const gone = { onAbort: vi.fn() };
    const staying = { onAbort: vi.fn() };
    watchAbort(controller.signal, gone);
    watchAbort(controller.signal, staying);
    unwatchAbort(controller.signal, gone);
    controller.abort();
    expect(gone.onAbort).not.toHaveBeenCalled();
    expect(staying.onAbort).toHaveBeenCalledTimes(1);
  });

  it("lets a watcher stop watching while the others are being told", () => {
    const controller = new AbortController();
    const told: string[] = [];
    const second = { onAbort: () => told.push("second") };
    const first = {
      onAbort: () => {
        told.push("first");
        unwatchAbort(controller.signal, second);
      },
    };
    watchAbort(controller.signal, first);
    watchAbort(controller.signal, second);
    controller.abort();
    expect(told).toEqual(["first"]);
  });

  it("keeps signals apart", () => {
    const a = new AbortController();
    const b = new AbortController();
    const watcher = { onAbort: vi.fn() };
    watchAbort(a.signal, watcher);
    unwatchAbort(b.signal, watcher);
    b.abort();
    expect(watcher.onAbort).not.toHaveBeenCalled();
    a.abort();
    expect(watcher.onAbort).toHaveBeenCalledTimes(1);
  });
});
