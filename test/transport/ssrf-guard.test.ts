import { lookup } from "node:dns/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { isPrivateAddress } from "../../src/net/is-private-address.js";
import { assertResolvesPublic, guardedLookup, undiciTransport } from "../../src/transport/index.js";

function lookupWith(host: string, all: boolean): Promise<{ error: unknown; address: unknown }> {
  return new Promise((resolve) => {
    guardedLookup(host, { all }, (error, address) => resolve({ error, address }));
  });
}

// A host name that is not "localhost" yet resolves to a private address (usually the machine's
// own name via /etc/hosts): exactly what a rebinding DNS answer looks like to the connect hook.
const machine = hostname();
const machineIsPrivate = await lookup(machine).then(
  (a) => isPrivateAddress(a.address),
  () => false,
);

describe("SSRF guard", () => {
  it("drops private answers in the connect-time lookup hook (single and all)", async () => {
    for (const all of [false, true]) {
      const { error } = await lookupWith("localhost", all);
      expect(error).toMatchObject({ code: "ERR_TRANSPORT", kind: "refused_address" });
    }
  });

  it("keeps public answers in the lookup hook", async () => {
    const { error, address } = await lookupWith("93.184.216.34", true);
    expect(error).toBeNull();
    expect(address).toEqual([{ address: "93.184.216.34", family: 4 }]);
  });

  it.runIf(machineIsPrivate)("undici refuses a host name that resolves to loopback at connect time", async () => {
    const server = createServer((_req, res) => res.end("reached"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const transport = undiciTransport();
    try {
      await expect(
        transport.send({ url: `http://${machine}:${port}/`, headers: {}, body: "{}", timeoutMs: 2000 }),
      ).rejects.toMatchObject({ kind: "refused_address" });
    } finally {
      await transport.close?.();
      server.close();
    }
  });

  it("resolves before sending when the client cannot hook the connect", async () => {
    const url = new URL("https://hooks.example.com/feedback");
    await expect(assertResolvesPublic(url, async () => ["93.184.216.34"])).resolves.toBeUndefined();
    await expect(assertResolvesPublic(url, async () => ["93.184.216.34", "10.1.2.3"])).rejects.toMatchObject({
      kind: "refused_address",
    });
    await expect(assertResolvesPublic(url, async () => [])).rejects.toMatchObject({ kind: "refused_address" });
    await expect(
      assertResolvesPublic(url, async () => {
        throw new Error("ENOTFOUND");
      }),
    ).rejects.toMatchObject({ kind: "network" });
  });
});
