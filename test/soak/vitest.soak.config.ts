import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Runs test/soak alone, one file at a time (timings and memory figures stay meaningful):
//   FW_SOAK=1 npx vitest run --config test/soak/vitest.soak.config.ts
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/soak/**/*.test.ts"],
    exclude: ["node_modules/**"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
