import { describe, expect, it } from "vitest";
import { type DeliveryRow, toClaimed, toDelivery } from "../../src/storage/sqlite/sqlite-delivery-rows.js";

const row: DeliveryRow = {
  id: "0190a0b0-0000-7000-8000-000000000001",
  config_id: "cfg-1",
  org_id: "ORG@AdobeOrg",
  sandbox_name: "prod",
  request_id: "req-1",
  idempotency_key: "key-1",
  identities: '["a@example.com","+15550100"]',
  body: '{"channel":"email"}',
  status: "in_flight",
  attempts: 2,
  created_at: 1_700_000_000_000,
  updated_at: 1_700_000_001_000,
  available_at: 1_700_000_061_000,
  round_started_at: 1_700_000_000_500,
  round_attempt_base: 1,
  delivered_at: null,
  dead_at: null,
  dead_reason: null,
  claim_token: "token-1",
};

describe("toClaimed", () => {
  it("shows a claimed row as toDelivery does, plus its claim token and configuration version", () => {
    const expected = { ...toDelivery(row), status: "in_flight", claimToken: "token-1", configVersion: 3 };
    const claimed = toClaimed(row, 3);
    expect(claimed).toStrictEqual(expected);
    // Same fields in the same order, the absent ones present as `undefined` like the port's records.
    expect(Object.keys(claimed)).toEqual(Object.keys(expected));
  });

  it("keeps a set time, a dead reason and a missing configuration (null version)", () => {
    const stale = { ...row, delivered_at: 5, dead_at: 6, dead_reason: "max_age" };
    const claimed = toClaimed(stale, null);
    expect(claimed).toStrictEqual({
      ...toDelivery(stale),
      status: "in_flight",
      claimToken: "token-1",
      configVersion: null,
    });
    expect(claimed.deliveredAt).toEqual(new Date(5));
    expect(claimed.configVersion).toBeNull();
  });
});
