/**
 * Writes every entry of `jsonSchemas()` to `schemas/<name>.json`.
 * `--check` writes nothing and exits 1 naming each stale or missing file (for CI).
 *
 * @example
 * ```sh
 * npx tsx scripts/generate-json-schemas.ts          # regenerate
 * npx tsx scripts/generate-json-schemas.ts --check  # verify the committed files
 * ```
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { jsonSchemaFileText, jsonSchemas } from "../src/schemas/json-schemas.js";

const dir = new URL("../schemas/", import.meta.url);
const check = process.argv.includes("--check");
const stale: string[] = [];

if (!check) mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  const file = new URL(`${name}.json`, dir);
  const text = jsonSchemaFileText(schema);
  const current = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (current === text) continue;
  if (check) {
    stale.push(`schemas/${name}.json`);
  } else {
    writeFileSync(file, text);
    console.log(`wrote schemas/${name}.json`);
  }
}

if (stale.length > 0) {
  console.error(`Stale JSON Schema files: ${stale.join(", ")}. Run: npx tsx scripts/generate-json-schemas.ts`);
  process.exitCode = 1;
}
