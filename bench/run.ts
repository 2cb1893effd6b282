/**
 * `npm run bench [-- --quick] [-- --only 1,3]`: runs the scenarios of bench/scenarios, prints
 * their tables and writes BENCHMARKS.md (see bench/harness/args.ts for the flags).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "./harness/args.js";
import { type MachineInfo, machineInfo } from "./harness/machine.js";
import { type BenchPostgres, startPostgres } from "./harness/postgres.js";
import { renderReport } from "./harness/report.js";
import type { ScenarioResult } from "./harness/results.js";
import { type Scenario, type ScenarioContext, SkipScenario } from "./harness/scenario.js";
import { renderTable } from "./harness/table.js";
import { receiverInProcess } from "./scenarios/1-receiver-in-process.js";
import { receiverHttp } from "./scenarios/2-receiver-http.js";
import { dispatcherMemory } from "./scenarios/3-dispatcher-memory.js";
import { dispatcherSqlite } from "./scenarios/4-dispatcher-sqlite.js";
import { dispatcherPostgres } from "./scenarios/5-dispatcher-postgres.js";
import { publish } from "./scenarios/6-publish.js";
import { memory } from "./scenarios/7-memory.js";
import { scaling } from "./scenarios/8-scaling.js";

const SCENARIOS: Scenario[] = [
  receiverInProcess,
  receiverHttp,
  dispatcherMemory,
  dispatcherSqlite,
  dispatcherPostgres,
  publish,
  memory,
  scaling,
];

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Formats the stored results the way the repository's formatter (biome) wants them; best effort. */
function formatJson(file: string): void {
  try {
    execFileSync(root("node_modules/.bin/biome"), ["format", "--write", file], { stdio: "ignore" });
  } catch {
    // No biome (or outside the repository): the plain JSON is just as valid.
  }
}

interface Stored {
  machine: MachineInfo;
  postgres?: Record<string, string>;
  results: ScenarioResult[];
}

function load(file: string, machine: MachineInfo): Stored | undefined {
  if (!existsSync(file)) return undefined;
  const stored = JSON.parse(readFileSync(file, "utf8")) as Stored;
  // Results of another machine must not be mixed into this one's report.
  const same = stored.machine.cpu === machine.cpu && stored.machine.cores === machine.cores;
  return same ? stored : undefined;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine = machineInfo();
  const started = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), "fw-bench-"));
  const quickDir = join(tmpdir(), "feedback-webhooks-bench");
  const resultsFile = args.quick ? join(quickDir, "results.json") : root("bench/results/latest.json");
  const reportFile = args.out ?? (args.quick ? join(quickDir, "BENCHMARKS.quick.md") : root("BENCHMARKS.md"));
  if (args.profileDir) mkdirSync(args.profileDir, { recursive: true });

  let pg: Promise<BenchPostgres | undefined> | undefined;
  const ctx: ScenarioContext = {
    quick: args.quick,
    rounds: args.quick ? 3 : 5,
    warmupRounds: args.quick ? 0 : 1,
    tmpDir: scratch,
    profileDir: args.profileDir,
    postgres: () => {
      pg ??= startPostgres();
      return pg;
    },
    size: (full, quick) => (args.quick ? quick : full),
  };
  const cleanup = async () => {
    await (await pg?.catch(() => undefined))?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    cleanup().finally(() => process.exit(130));
  });

  console.log(
    `# feedback-webhooks bench — ${args.quick ? "quick" : "full"} mode, ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}\n`,
  );
  const fresh: ScenarioResult[] = [];
  let failed = false;
  try {
    for (const scenario of SCENARIOS) {
      if (args.reportOnly || (args.only && !args.only.has(scenario.id))) continue;
      process.stderr.write(`\n== ${scenario.id}. ${scenario.title}\n`);
      const t0 = performance.now();
      const base = {
        id: scenario.id,
        title: scenario.title,
        date: new Date().toISOString(),
        quick: args.quick,
        rounds: ctx.rounds,
        code: machine.code,
      };
      let result: ScenarioResult;
      try {
        const output = await scenario.run(ctx);
        result = { ...base, ...output, rounds: output.rounds ?? ctx.rounds, seconds: (performance.now() - t0) / 1000 };
      } catch (error) {
        const skipped = error instanceof SkipScenario;
        failed ||= !skipped;
        const message =
          error instanceof Error ? (skipped ? error.message : (error.stack ?? error.message)) : String(error);
        result = { ...base, tables: [], targets: [], notes: [], seconds: (performance.now() - t0) / 1000 };
        if (skipped) result.skipped = message;
        else result.error = message;
        process.stderr.write(`${skipped ? "skipped" : "FAILED"}: ${message}\n`);
      }
      fresh.push(result);
      console.log(`## ${scenario.id}. ${scenario.title}\n`);
      for (const table of result.tables) console.log(`${renderTable(table)}\n`);
      for (const t of result.targets) {
        console.log(
          `target ${t.id} ${t.what}: ${t.measured} vs ${t.target} → ${t.met === undefined ? (args.quick ? "not judged (quick mode)" : "not measured") : t.met ? "met" : "MISSED"}`,
        );
      }
      console.log("");
    }
  } finally {
    const postgres = await pg?.catch(() => undefined);
    const stored = load(resultsFile, machine);
    // --report: the stored run's machine line (its date and code), not this invocation's.
    const shown = args.reportOnly && stored ? stored.machine : machine;
    const kept = (stored?.results ?? []).filter((r) => !fresh.some((f) => f.id === r.id));
    const results = [...kept, ...fresh].sort((a, b) => a.id - b.id);
    const postgresSettings = postgres?.settings ?? stored?.postgres;
    mkdirSync(join(resultsFile, ".."), { recursive: true });
    if (!args.reportOnly) {
      writeFileSync(resultsFile, `${JSON.stringify({ machine, postgres: postgresSettings, results }, null, 2)}\n`);
      formatJson(resultsFile);
    }
    const report = renderReport({
      machine: shown,
      postgres: postgresSettings,
      results,
      findingsFile: root("bench/findings.md"),
    });
    writeFileSync(reportFile, report);
    await cleanup();
    console.log(`Report: ${reportFile} (total ${Math.round((performance.now() - started) / 1000)} s)`);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
