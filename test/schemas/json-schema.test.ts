import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { jsonSchemaFileText, jsonSchemas } from "../../src/schemas/json-schemas.js";
import { FIXTURE_NAMES, fixtureWith, loadFixture, REMOVE } from "../fixtures/index.js";

const root = new URL("../../", import.meta.url);
const REGENERATE = "run `npx tsx scripts/generate-json-schemas.ts` and commit the result";

describe("published JSON Schemas", () => {
  it.each(Object.entries(jsonSchemas()))("schemas/%s.json is up to date", (name, schema) => {
    const file = new URL(`schemas/${name}.json`, root);
    expect(existsSync(file), `schemas/${name}.json is missing: ${REGENERATE}`).toBe(true);
    expect(readFileSync(file, "utf8"), `schemas/${name}.json is stale: ${REGENERATE}`).toBe(jsonSchemaFileText(schema));
  });

  it("the generator's --check agrees", () => {
    const run = () =>
      execFileSync(process.execPath, ["--import", "tsx", "scripts/generate-json-schemas.ts", "--check"], {
        cwd: root,
        stdio: "pipe",
      });
    expect(run).not.toThrow();
  });
});

describe("feedback-event.json with ajv (draft 2020-12)", () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(new URL("schemas/feedback-event.json", root), "utf8")));

  it.each(FIXTURE_NAMES)("accepts fixture %s", (name) => {
    expect(validate(loadFixture(name)), ajv.errorsText(validate.errors)).toBe(true);
  });

  it("accepts what a tolerant receiver accepts: extra fields, missing nullable fields", () => {
    const input = fixtureWith("email-sent", ["messageDeliveryFeedback", "offers"], REMOVE);
    input.extra = { anything: [1] };
    expect(validate(input)).toBe(true);
  });

  it.each([
    ["a wrong eventType", ["eventType"], "other"],
    ["a negative retryCount", ["messageDeliveryFeedback", "retryCount"], -1],
    ["a non-digit code", ["messageDeliveryFeedback", "messageFailure", "code"], "2a"],
    ["an empty identity list", ["identityMap", "email"], []],
    ["an exclusion on a bounce", ["messageDeliveryFeedback", "messageExclusion"], { code: "1", reason: "x" }],
  ])("refuses %s", (_name, path, value) => {
    expect(validate(fixtureWith("email-bounce", path, value))).toBe(false);
  });
});
