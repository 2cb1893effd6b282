import { defineConfig } from "tsup";
import { CLI_ENTRY, ENTRIES, outName } from "./scripts/entries.js";

const entry = Object.fromEntries(ENTRIES.map((e) => [outName(e), e.source]));

export default defineConfig([
  {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    target: "node20",
    splitting: true,
    treeshake: true,
  },
  {
    entry: { [CLI_ENTRY.name]: CLI_ENTRY.source },
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
