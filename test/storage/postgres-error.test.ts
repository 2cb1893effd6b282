import { describe, expect, it } from "vitest";
import { StorageError, VersionConflictError } from "../../src/errors.js";
import { redact, toPgStorageError } from "../../src/storage/postgres/postgres-error.js";

describe("PostgreSQL error wrapping", () => {
  it("removes the password of any URL and every known secret from a message", () => {
    expect(redact("connect postgres://fw:hunter2@db:5432/app failed", [])).toBe(
      "connect postgres://fw:***@db:5432/app failed",
    );
    expect(redact("auth failed with hunter2 for fw", ["hunter2", ""])).toBe("auth failed with *** for fw");
  });

  it("wraps a driver error in StorageError with its code and cause; lets our own errors through", () => {
    const driver = Object.assign(new Error("relation does not exist"), { code: "42P01" });
    const wrapped = toPgStorageError("getDelivery", driver, []);
    expect(wrapped).toBeInstanceOf(StorageError);
    expect(wrapped.message).toBe("PostgreSQL storage: getDelivery failed: relation does not exist (42P01)");
    expect(wrapped.cause).toBe(driver);
    const ours = new VersionConflictError("id", 1, 2);
    expect(toPgStorageError("updateConfig", ours, [])).toBe(ours);
  });
});
