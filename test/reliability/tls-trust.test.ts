import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDispatcher } from "../../src/dispatcher/index.js";
import { undiciTransport } from "../../src/transport/index.js";
import { type FaultServer, startFaultServer } from "./helpers/fault-server.js";
import { recordFigures } from "./helpers/figures.js";
import { checkNoneLost, createRig, quietLogger, settle } from "./helpers/harness.js";
import { selfSignedCertificate } from "./helpers/self-signed.js";

const EVENTS = 10;

describe("TLS to https://127.0.0.1 with a self-signed certificate", () => {
  let tls: { cert: string; key: string };
  let server: FaultServer;
  beforeAll(async () => {
    tls = selfSignedCertificate();
    server = await startFaultServer({ tls });
  });
  afterAll(() => server.close());

  it("refuses the untrusted certificate (no request reaches the endpoint), then delivers everything once the transport trusts its CA — without touching global TLS settings", async () => {
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    const untrusted = await createRig({ url: server.url, dispatcher: { retry: { jitter: 0 } } });
    const ids = await untrusted.publish(EVENTS);
    // Each delivery tries once (10 failures: the breaker pauses right after the last one).
    while ((await untrusted.dispatcher.runOnce()) > 0);
    const failed = await Promise.all(ids.map((id) => untrusted.storage.getDelivery(id)));
    for (const d of failed) {
      expect(d!.status).toBe("pending");
      expect(d!.attemptLog[0]!.statusCode).toBeUndefined();
      expect(d!.attemptLog[0]!.error).toMatch(/SELF_SIGNED|CERT|certificate/i);
    }
    expect(server.total()).toBe(0);
    await untrusted.dispatcher.stop();

    // The same queue, now sent by a dispatcher whose transport trusts exactly this CA.
    const trusted = createDispatcher({
      storage: untrusted.storage,
      clock: untrusted.clock,
      logger: quietLogger(),
      transport: undiciTransport({ allowPrivateNetworks: true, ca: tls.cert }),
      retry: { jitter: 0 },
    });
    await settle({ dispatcher: trusted, storage: untrusted.storage, clock: untrusted.clock });
    await trusted.stop();
    const { figures, deliveries } = await checkNoneLost(untrusted.storage, ids, server.processed);
    expect(figures.delivered).toBe(EVENTS);
    for (const d of deliveries)
      expect(d.attemptLog.map((a) => a.statusCode ?? "tls error")).toEqual(["tls error", 200]);
    // The trust was the transport's own: a plain fetch in the same process still refuses the certificate.
    await expect(fetch(server.url, { method: "POST", body: "{}" })).rejects.toThrow();
    expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
    recordFigures({
      scenario: "TLS, self-signed certificate",
      ...figures,
      notes: "attempt 1 refused (untrusted), attempt 2 with ca: delivered",
    });
  });
});
