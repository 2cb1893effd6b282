import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { webhookConfigJsonSchema } from "../../src/config/webhook-config-json-schema.js";
import { validConfig } from "./valid-config.js";

describe("webhook-config JSON Schema", () => {
  const validate = new Ajv2020({ strict: false }).compile(webhookConfigJsonSchema());

  it("accepts the valid config and the three auth modes", () => {
    expect(validate(validConfig())).toBe(true);
    expect(validate(validConfig({ auth: { type: "none" } }))).toBe(true);
    expect(validate(validConfig({ auth: { type: "standard-webhooks", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } }))).toBe(true);
  });

  it("refuses what the registry refuses by shape: no channels, an unknown key, a missing url", () => {
    expect(validate(validConfig({ channels: [] }))).toBe(false);
    expect(validate({ ...validConfig(), extra: 1 })).toBe(false);
    const { url: _url, ...withoutUrl } = validConfig();
    expect(validate(withoutUrl)).toBe(false);
  });
});
