import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createAuthSigner } from "../../src/auth/create-auth-signer.js";
import { generateSigningKey } from "../../src/auth/generate-signing-key.js";
import { createStandardWebhookVerifier, verifyStandardWebhook } from "../../src/auth/verify-standard-webhook.js";
import { ConfigValidationError } from "../../src/errors.js";
import { config, rejection } from "./fixtures.js";

// The test vector published with the Standard Webhooks specification.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const atVector = () => VECTOR.timestamp * 1000;
const vectorHeaders = (signature = VECTOR.signature) => ({
  "webhook-id": VECTOR.id,
  "webhook-timestamp": String(VECTOR.timestamp),
  "webhook-signature": signature,
});

function signerFor(secret: string, previousSecrets: { secret: string; notAfter: Date }[] = [], now = Date.now) {
  return createAuthSigner(config({ type: "standard-webhooks", secret, previousSecrets }), { now });
}

describe("Standard Webhooks", () => {
  it("signs the spec's test vector exactly", async () => {
    const headers = await signerFor(VECTOR.secret, [], atVector).sign({
      body: VECTOR.payload,
      deliveryId: VECTOR.id,
      timestamp: VECTOR.timestamp,
      requestId: "r1",
    });
    expect(headers).toEqual({ "webhook-signature": VECTOR.signature });
  });

  it("verifies the spec's test vector, and refuses it one change at a time", async () => {
    const verify = createStandardWebhookVerifier({ secret: VECTOR.secret, now: atVector });
    await expect(verify({ headers: vectorHeaders(), body: VECTOR.payload })).resolves.toEqual({
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
    const reasons = await Promise.all([
      rejection(verify({ headers: vectorHeaders(), body: VECTOR.payload.replace("2432", "2433") })),
      rejection(verify({ headers: { ...vectorHeaders(), "webhook-id": "msg_other" }, body: VECTOR.payload })),
      rejection(verify({ headers: vectorHeaders("v1,AAAA"), body: VECTOR.payload })),
      rejection(verify({ headers: vectorHeaders(VECTOR.signature.replace("v1,", "v2,")), body: VECTOR.payload })),
      rejection(verify({ headers: { ...vectorHeaders(), "webhook-signature": undefined }, body: VECTOR.payload })),
      rejection(verify({ headers: { ...vectorHeaders(), "webhook-timestamp": "yesterday" }, body: VECTOR.payload })),
    ]);
    expect(reasons.map((e) => e.reason)).toEqual([
      "signature",
      "signature",
      "signature",
      "signature",
      "missing",
      "malformed",
    ]);
    for (const e of reasons) expect(e.message).not.toContain(VECTOR.secret.slice(6));
  });

  it("enforces the 5-minute tolerance both ways", async () => {
    const verifyAt = (offsetSeconds: number) =>
      verifyStandardWebhook(
        { headers: vectorHeaders(), body: VECTOR.payload },
        { secret: VECTOR.secret, now: () => atVector() + offsetSeconds * 1000 },
      );
    await expect(verifyAt(300)).resolves.toBeDefined();
    await expect(verifyAt(-300)).resolves.toBeDefined();
    expect((await rejection(verifyAt(301))).reason).toBe("expired");
    expect((await rejection(verifyAt(-301))).reason).toBe("not_yet_valid");
  });

  it("accepts Headers, svix-* names, multi-valued signature headers and bytes", async () => {
    const verify = createStandardWebhookVerifier({ secret: VECTOR.secret, now: atVector });
    const body = new TextEncoder().encode(VECTOR.payload);
    await expect(verify({ headers: new Headers(vectorHeaders()), body })).resolves.toBeDefined();
    const svix = {
      "svix-id": VECTOR.id,
      "svix-timestamp": String(VECTOR.timestamp),
      "svix-signature": VECTOR.signature,
    };
    await expect(verify({ headers: svix, body })).resolves.toBeDefined();
    const multi = { ...vectorHeaders(), "Webhook-Signature": ["v1,AAAA", VECTOR.signature] };
    await expect(verify({ headers: multi, body })).resolves.toBeDefined();
  });

  it("our deliveries verify with the standardwebhooks package", async () => {
    const { secret } = generateSigningKey("standard-webhooks");
    const body = '{"requestId":"r1"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const signed = await signerFor(secret).sign({ body, deliveryId: "msg_1", timestamp, requestId: "r1" });
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(timestamp), ...signed };
    expect(new Webhook(secret).verify(body, headers)).toEqual({ requestId: "r1" });
  });

  it("the standardwebhooks package's signatures verify with ours", async () => {
    const { secret } = generateSigningKey("standard-webhooks");
    const timestamp = Math.floor(Date.now() / 1000);
    const body = '{"requestId":"r2"}';
    const signature = new Webhook(secret).sign("msg_2", new Date(timestamp * 1000), body);
    const headers = { "webhook-id": "msg_2", "webhook-timestamp": String(timestamp), "webhook-signature": signature };
    await expect(verifyStandardWebhook({ headers, body }, { secret })).resolves.toEqual({ id: "msg_2", timestamp });
  });

  it("signs with the current and every unexpired previous secret during a rotation", async () => {
    const next = generateSigningKey("standard-webhooks").secret;
    const gone = generateSigningKey("standard-webhooks").secret;
    const timestamp = Math.floor(Date.now() / 1000);
    const signer = signerFor(next, [
      { secret: VECTOR.secret, notAfter: new Date(Date.now() + 86_400_000) },
      { secret: gone, notAfter: new Date(Date.now() - 1) },
    ]);
    const signed = await signer.sign({ body: "{}", deliveryId: "msg_3", timestamp, requestId: "r" });
    expect(signed["webhook-signature"]?.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": "msg_3", "webhook-timestamp": String(timestamp), ...signed };
    // A receiver still on the old secret and one already on the new one both accept.
    expect(new Webhook(VECTOR.secret).verify("{}", headers)).toEqual({});
    expect(new Webhook(next).verify("{}", headers)).toEqual({});
    expect(() => new Webhook(gone).verify("{}", headers)).toThrow();
    await expect(verifyStandardWebhook({ headers, body: "{}" }, { secret: [gone, next] })).resolves.toBeDefined();
  });

  it("refuses unusable secrets at creation, without quoting them", () => {
    const error = (() => {
      try {
        createStandardWebhookVerifier({ secret: ["whsec_c2hvcnQ=", "whsec_!!"] });
      } catch (e) {
        return e as ConfigValidationError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error?.issues.map((i) => i.path)).toEqual(["secret[0]", "secret[1]"]);
    expect(error?.message).not.toContain("c2hvcnQ");
  });
});
