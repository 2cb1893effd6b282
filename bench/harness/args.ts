/** Command-line flags of `npm run bench`. */
export interface BenchArgs {
  /** Smoke check: fewer rounds and smaller counts, finishes in under 2 minutes. */
  quick: boolean;
  /** Scenario numbers to run; all when absent. */
  only: Set<number> | undefined;
  /** Where the report goes. @default BENCHMARKS.md (full runs); a temp file for --quick */
  out: string | undefined;
  /** Pass `--cpu-prof` to the child processes and write profiles here. */
  profileDir: string | undefined;
  /** Run nothing: rewrite the report from the stored results and bench/findings.md. */
  reportOnly: boolean;
}

const USAGE = `usage: npm run bench -- [--quick] [--only 1,3] [--out FILE] [--profile DIR]
  --quick        3 rounds, small counts: a smoke check in under 2 minutes (report goes to a temp file)
  --only LIST    run only these scenarios (1-8); the report keeps the other scenarios' last results
  --out FILE     write the report here instead of BENCHMARKS.md
  --profile DIR  run the child processes (servers, workers) with --cpu-prof into DIR
  --report       run nothing: rewrite the report from the stored results and bench/findings.md`;

/** Parses `process.argv`-style flags; exits with the usage on an unknown flag. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: undefined, out: undefined, profileDir: undefined, reportOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v as string;
    };
    if (flag === "--quick") args.quick = true;
    else if (flag === "--only") {
      const list = value()
        .split(",")
        .map((s) => Number(s.trim()));
      if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 8))
        fail("--only takes scenario numbers 1-8, e.g. --only 1,3");
      args.only = new Set(list);
    } else if (flag === "--out") args.out = value();
    else if (flag === "--profile") args.profileDir = value();
    else if (flag === "--report") args.reportOnly = true;
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown flag ${flag}`);
  }
  return args;
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}
