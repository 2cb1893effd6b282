/**
 * The one list of public entry points. `tsup.config.ts` builds from it and
 * `scripts/sync-exports.ts` writes `package.json#exports` from it; a test checks both agree.
 */
export const ENTRIES = [
  { subpath: ".", source: "src/index.ts" },
  { subpath: "./auth", source: "src/auth/index.ts" },
  { subpath: "./receiver", source: "src/receiver/index.ts" },
  { subpath: "./dispatcher", source: "src/dispatcher/index.ts" },
  { subpath: "./transport", source: "src/transport/index.ts" },
  { subpath: "./storage/memory", source: "src/storage/memory/index.ts" },
  { subpath: "./storage/sqlite", source: "src/storage/sqlite/index.ts" },
  { subpath: "./storage/postgres", source: "src/storage/postgres/index.ts" },
  { subpath: "./adapters/node", source: "src/adapters/node.ts" },
  { subpath: "./adapters/express", source: "src/adapters/express.ts" },
  { subpath: "./adapters/fastify", source: "src/adapters/fastify.ts" },
  { subpath: "./adapters/hono", source: "src/adapters/hono.ts" },
  { subpath: "./testing", source: "src/testing/index.ts" },
  { subpath: "./testing/msw", source: "src/testing/msw.ts" },
] as const;

/** The CLI is built too but is a `bin`, not an export. */
export const CLI_ENTRY = { name: "cli", source: "src/cli/main.ts" } as const;

/** `"./storage/sqlite"` → `"storage/sqlite/index"`: the file name under `dist/`. */
export function outName(entry: { subpath: string; source: string }): string {
  return entry.source.replace(/^src\//, "").replace(/\.ts$/, "");
}

/** The `package.json#exports` map derived from {@link ENTRIES}. */
export function exportsMap(): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (const entry of ENTRIES) {
    const out = `./dist/${outName(entry)}`;
    map[entry.subpath] = {
      import: { types: `${out}.d.ts`, default: `${out}.js` },
      require: { types: `${out}.d.cts`, default: `${out}.cjs` },
    };
  }
  map["./schemas/*.json"] = "./schemas/*.json";
  map["./package.json"] = "./package.json";
  return map;
}
