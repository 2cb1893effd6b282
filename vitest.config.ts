import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // The soak suite has its own config: `npm run test:soak`.
    exclude: ["test/soak/**", "node_modules/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"] },
    // CI also writes a JSON report so .ci/run can print one plain "N passed, N failed" line.
    ...(process.env.FW_VITEST_JSON && {
      reporters: ["default", "json"],
      outputFile: { json: process.env.FW_VITEST_JSON },
    }),
  },
});
