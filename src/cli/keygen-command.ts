import { writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { generateSigningKey } from "../auth/index.js";
import { JWT_ALGORITHMS, type JwtAlgorithm } from "../config/auth-config-schema.js";
import { stderr, stdout } from "./output.js";
import { withExamples } from "./with-examples.js";

interface Flags {
  alg: JwtAlgorithm | "standard-webhooks";
  out?: string;
  format: "pem" | "jwk";
  json?: boolean;
}

function writePrivateKey(file: string, content: string): void {
  try {
    // "wx": never overwrite a key that may already be in use; 0600: readable by its owner only.
    writeFileSync(file, content, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new Error(`${file} already exists; choose another --out or remove it first (it may hold a key in use).`);
    }
    throw error;
  }
}

function run(flags: Flags): void {
  if (flags.alg === "standard-webhooks") {
    const { secret } = generateSigningKey("standard-webhooks");
    stdout.line(flags.json ? JSON.stringify({ type: "standard-webhooks", secret }) : secret);
    stderr.line(
      stderr.paint(
        "dim",
        "Standard Webhooks secret: use it on both sides (config create --secret …, listen --secret …).",
      ),
    );
    return;
  }
  if (flags.alg.startsWith("HS")) {
    const key = generateSigningKey(flags.alg as "HS256" | "HS384" | "HS512");
    const { alg, kid, secret, secretEncoding } = key;
    // Printing the secret once is this command's purpose; nothing else ever prints it.
    stdout.line(flags.json ? JSON.stringify({ alg, kid, secret, secretEncoding }) : secret);
    stderr.line(
      stderr.paint(
        "dim",
        `${alg} shared secret (${secretEncoding}), kid ${kid}: keep it secret; sender: config create --secret … --kid ${kid}, receiver: listen --secret …`,
      ),
    );
    return;
  }
  const key = generateSigningKey(flags.alg as Exclude<JwtAlgorithm, "HS256" | "HS384" | "HS512">);
  const file = flags.out ?? `signing-key-${key.kid.slice(0, 8)}.${flags.format === "jwk" ? "jwk" : "pem"}`;
  writePrivateKey(file, flags.format === "jwk" ? `${JSON.stringify(key.privateJwk, null, 2)}\n` : key.privateKeyPem);
  stdout.line(JSON.stringify(key.publicJwk, null, flags.json ? undefined : 2));
  stderr.line(stderr.paint("dim", `${key.alg} private key written to ${file} (mode 0600), kid ${key.kid}.`));
  stderr.line(
    stderr.paint(
      "dim",
      `sender: config create --private-key ${file}; receiver: save the public JWK above and use listen --public-key <file>.`,
    ),
  );
}

/**
 * Registers `keygen`: a new HS* secret, Standard Webhooks secret, or key pair (private part to a
 * 0600 file, public JWK to stdout).
 *
 * @example
 * ```ts
 * registerKeygenCommand(program);
 * ```
 */
export function registerKeygenCommand(program: Command): void {
  const cmd = program
    .command("keygen")
    .description("generate signing key material: a shared secret, or a key pair (private part to a 0600 file)")
    .addOption(
      new Option("--alg <alg>", "algorithm").choices([...JWT_ALGORITHMS, "standard-webhooks"]).default("HS256"),
    )
    .option("--out <file>", "where to write the private key (never overwritten; default: signing-key-<kid>.pem)")
    .addOption(new Option("--format <format>", "private key file format").choices(["pem", "jwk"]).default("pem"))
    .option("--json", "print one JSON line (the secret with its kid, or the public JWK)")
    .action(run);
  withExamples(cmd, [
    "feedback-webhooks keygen                       # HS256 secret on stdout",
    "feedback-webhooks keygen --alg ES256 --out signing-key.pem > signing-key.public.jwk",
    "feedback-webhooks keygen --alg standard-webhooks",
  ]);
}
