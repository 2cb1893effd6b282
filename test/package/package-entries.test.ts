import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ENTRIES, exportsMap, outName } from "../../scripts/entries.js";
import { ensureBuilt, ROOT } from "./ensure-built.js";

const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8"));
const PEERS = ["better-sqlite3", "pg", "express", "fastify", "hono", "msw"];

describe("package entry points", () => {
  beforeAll(() => ensureBuilt(), 180_000);

  it("package.json#exports is exactly what scripts/entries.ts derives (run npm run sync-exports)", () => {
    expect(pkg.exports).toEqual(exportsMap());
  });

  it("every entry has a source file and built ESM, CJS and type files", () => {
    for (const entry of ENTRIES) {
      expect(existsSync(`${ROOT}/${entry.source}`), entry.source).toBe(true);
      for (const ext of [".js", ".cjs", ".d.ts", ".d.cts"]) {
        expect(existsSync(`${ROOT}/dist/${outName(entry)}${ext}`), `${outName(entry)}${ext}`).toBe(true);
      }
    }
  });

  it("optional peers are marked optional", () => {
    for (const peer of PEERS) expect(pkg.peerDependenciesMeta[peer]).toEqual({ optional: true });
  });

  it("the CJS build loads in a real require() (jose and ky through require(esm))", () => {
    const out = execFileSync(
      process.execPath,
      ["-e", "const m = require('feedback-webhooks'); console.log(typeof m.createRegistry, typeof m.parseFeedbackEvent)"],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(out.trim()).toBe("function function");
  });

  it("importing the root (ESM or CJS) loads no optional peer", () => {
    const hook = `export async function resolve(s, c, n) { if (/^(${PEERS.join("|")})(\\/|$)/.test(s)) throw new Error("root loaded optional peer " + s); return n(s, c); }`;
    const esm = `import { register } from "node:module"; register("data:text/javascript,${encodeURIComponent(hook)}"); await import("feedback-webhooks"); console.log("ok");`;
    expect(execFileSync(process.execPath, ["--input-type=module", "-e", esm], { cwd: ROOT, encoding: "utf8" }).trim()).toBe("ok");
    const cjs = `require("feedback-webhooks"); const loaded = Object.keys(require.cache).filter((k) => /node_modules\\/(${PEERS.join("|")})\\//.test(k)); console.log(JSON.stringify(loaded));`;
    expect(execFileSync(process.execPath, ["-e", cjs], { cwd: ROOT, encoding: "utf8" }).trim()).toBe("[]");
  });
});
