// Writes package.json#exports (and main/module/types) from scripts/entries.ts.
import { readFileSync, writeFileSync } from "node:fs";
import { exportsMap } from "./entries.js";

const path = new URL("../package.json", import.meta.url);
const pkg = JSON.parse(readFileSync(path, "utf8"));
pkg.exports = exportsMap();
pkg.main = "./dist/index.cjs";
pkg.module = "./dist/index.js";
pkg.types = "./dist/index.d.cts";
writeFileSync(path, `${JSON.stringify(pkg, null, 2)}\n`);
console.log("package.json exports written");
