import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { buildCli, runCli, scratchDir } from "./cli-harness.js";

const scratch = scratchDir();
let cli: Awaited<ReturnType<typeof buildCli>>;
let bin: string;

beforeAll(async () => {
  cli = await buildCli();
  bin = cli.bin;
}, 60_000);
afterAll(() => {
  cli?.remove();
  scratch.remove();
});

const COMMANDS = [
  ["listen"],
  ["send"],
  ["config", "create"],
  ["config", "show"],
  ["config", "update"],
  ["config", "delete"],
  ["config", "list"],
  ["campaign", "enable"],
  ["campaign", "disable"],
  ["campaign", "list"],
  ["deliveries", "list"],
  ["deliveries", "show"],
  ["deliveries", "redeliver"],
  ["keygen"],
  ["schema"],
  ["migrate"],
];

describe("feedback-webhooks --help and exit codes", () => {
  it("the built bin starts with a shebang", async () => {
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("--help lists every command group and the exit codes, exit 0", async () => {
    const run = await runCli(bin, ["--help"]);
    expect(run.code).toBe(0);
    for (const name of ["listen", "send", "config", "campaign", "deliveries", "keygen", "schema", "migrate"]) {
      expect(run.stdout).toContain(name);
    }
    expect(run.stdout).toContain("Exit codes: 0 ok, 1 failure, 2 usage error.");
  });

  it.each(COMMANDS)("%s %s --help shows examples and exit codes", async (...command) => {
    const run = await runCli(bin, [...command.filter((c) => c !== undefined), "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Examples:\n  $ feedback-webhooks");
    expect(run.stdout).toContain("Exit codes: 0 ok, 1 failure, 2 usage error.");
  });

  it("--version prints the package version", async () => {
    const run = await runCli(bin, ["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it("an unknown command is a usage error: exit 2, one error line and a hint", async () => {
    const run = await runCli(bin, ["lisen"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: unknown command 'lisen'/);
    expect(run.stderr).toContain("(Did you mean listen?)");
  });

  it("an invalid option value is a usage error naming the option", async () => {
    const run = await runCli(bin, [
      "send",
      "delivered",
      "--url",
      "http://127.0.0.1:9/x",
      "--no-auth",
      "--count",
      "zero",
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("option '--count <n>' argument 'zero' is invalid");
  });

  it("a missing argument is a usage error", async () => {
    const run = await runCli(bin, ["send", "--url", "http://127.0.0.1:9/x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'status'");
  });

  it("conflicting flags the parser cannot see are usage errors too (exit 2)", async () => {
    const run = await runCli(bin, ["listen", "--no-auth", "--secret", "x".repeat(43)]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: choose exactly one way to verify: --secret, --public-key, --jwks or --no-auth.\n");
  });

  it("a URL option that is not an http(s) URL is a usage error", async () => {
    const run = await runCli(bin, ["send", "sent", "--url", "hooks.example.com", "--no-auth"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "option '--url <url>' argument 'hooks.example.com' is invalid. expected an absolute URL",
    );
  });

  it("a key file that cannot be read fails with one line naming the option", async () => {
    const run = await runCli(bin, ["listen", "--public-key", `${scratch.dir}/missing.jwk`, "--port", "0"]);
    expect(run).toMatchObject({
      code: 1,
      stderr: `error: cannot read --public-key ${scratch.dir}/missing.jwk: no such file.\n`,
    });
  });

  it("a failure is one error line without a stack; --verbose adds the stack", async () => {
    const args = ["deliveries", "show", "nope", "--db", `${scratch.dir}/empty.sqlite`];
    const quiet = await runCli(bin, args);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe("error: No delivery found with id nope.\n");
    const verbose = await runCli(bin, [...args, "--verbose"]);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^error: No delivery found with id nope\.\nDeliveryNotFoundError: .*\n\s+at /);
  });
});
