import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createAesGcmSealer } from "../../src/auth/create-aes-gcm-sealer.js";
import { ConfigValidationError } from "../../src/errors.js";

const KEY = randomBytes(32);
const SECRET = "tK3v9Qm2Xr7Lp0Wz5Ny8Bc4Hd6Fj1Sa_";

describe("createAesGcmSealer", () => {
  it("round-trips, with a fresh IV each time, in the enc:v1 format", () => {
    const sealer = createAesGcmSealer(KEY);
    const a = sealer.seal(SECRET);
    const b = sealer.seal(SECRET);
    expect(a).toMatch(/^enc:v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
    expect([sealer.open(a), sealer.open(b)]).toEqual([SECRET, SECRET]);
  });

  it("takes the key as bytes, base64 or base64url", () => {
    const sealed = createAesGcmSealer(KEY).seal(SECRET);
    expect(createAesGcmSealer(KEY.toString("base64")).open(sealed)).toBe(SECRET);
    expect(createAesGcmSealer(KEY.toString("base64url")).open(sealed)).toBe(SECRET);
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => createAesGcmSealer(randomBytes(16))).toThrow(/encryptionKey: must be 32 bytes .* got 16 bytes/);
    expect(() => createAesGcmSealer("too short")).toThrow(ConfigValidationError);
  });

  it("fails clearly, without the material, on plaintext, a wrong key, or an altered value", () => {
    const sealer = createAesGcmSealer(KEY);
    const sealed = sealer.seal(SECRET);
    const messageOf = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigValidationError);
        return (e as Error).message;
      }
      throw new Error("expected a failure");
    };
    const plain = messageOf(() => sealer.open(SECRET));
    expect(plain).toContain("the stored key material is not encrypted");
    expect(plain).not.toContain(SECRET);
    expect(messageOf(() => createAesGcmSealer(randomBytes(32)).open(sealed))).toContain("the encryption key is wrong");
    // The second-to-last base64url character carries only data bits (the last may hold unused
    // ones), so changing it always alters the ciphertext or the tag.
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === "A" ? "B" : "A"}${sealed.slice(-1)}`;
    expect(flipped).not.toBe(sealed);
    expect(messageOf(() => sealer.open(flipped))).toContain("the encryption key is wrong or the value was altered");
    expect(messageOf(() => sealer.open("enc:v1:short"))).toContain("not a valid enc:v1 value");
  });
});
