import { createPrivateKey, createPublicKey } from "node:crypto";
import { type Command, Option } from "commander";
import { jwkThumbprint } from "../auth/index.js";
import { type AuthInput, authInputSchema, JWT_ALGORITHMS, type JwtAlgorithm } from "../config/auth-config-schema.js";
import { normalizeAuth } from "../config/normalize-auth.js";
import type { AuthConfig, Jwk } from "../config/webhook-config.js";
import { ConfigValidationError } from "../errors.js";
import { toIssues } from "../schemas/to-issues.js";
import { UsageError } from "./output.js";
import { readTextFile } from "./read-text-file.js";

/** The signing flags shared by `config create|update` and `send`. */
export interface SigningFlags {
  secret?: string;
  secretEncoding: "utf8" | "base64" | "base64url" | "hex";
  privateKey?: string;
  alg?: JwtAlgorithm;
  kid?: string;
  issuer: string;
  audience?: string;
  expiresIn?: number;
  /** `false` after `--no-auth`. */
  auth?: boolean;
}

/**
 * Adds the signing flags. `--secret` also reads `FW_SECRET`, so a secret need not appear in the
 * shell history or the process list.
 *
 * @example
 * ```ts
 * addSigningOptions(program.command("send"));
 * ```
 */
export function addSigningOptions(cmd: Command): Command {
  const group = cmd.optionsGroup();
  return cmd
    .optionsGroup("Authentication:")
    .addOption(
      new Option(
        "--secret <secret>",
        "HS* JWT secret (as printed by keygen), or a whsec_… Standard Webhooks secret",
      ).env("FW_SECRET"),
    )
    .addOption(
      new Option("--secret-encoding <enc>", "how --secret is encoded")
        .choices(["utf8", "base64", "base64url", "hex"])
        .default("base64url"),
    )
    .option("--private-key <file>", "RS/PS/ES/EdDSA private key file (PKCS#8 PEM or JWK), e.g. from keygen")
    .addOption(
      new Option("--alg <alg>", "JWT algorithm (default: HS256, or inferred from the key)").choices(JWT_ALGORITHMS),
    )
    .option(
      "--kid <kid>",
      'key id sent in the JWT header (default: the key\'s thumbprint as keygen makes it, or "key-1")',
    )
    .option("--issuer <iss>", "the JWT iss claim", "feedback-webhooks")
    .option("--audience <aud>", "the JWT aud claim (default: the webhook URL)")
    .option("--expires-in <seconds>", "token lifetime in seconds (at most 3600)", Number)
    .option("--no-auth", "send without authentication (anyone who can reach the URL can post)")
    .optionsGroup(group);
}

/** The algorithm a private key signs with, from its type. PS256 must be asked for with --alg. */
function inferAlgorithm(key: string | Jwk): JwtAlgorithm {
  const keyObject = typeof key === "string" ? createPrivateKey(key) : createPrivateKey({ key, format: "jwk" });
  switch (keyObject.asymmetricKeyType) {
    case "rsa":
      return "RS256";
    case "rsa-pss":
      return "PS256";
    case "ec":
      return "ES256";
    case "ed25519":
      return "EdDSA";
    default:
      throw new UsageError(`cannot tell the algorithm of a ${keyObject.asymmetricKeyType} key; pass --alg.`);
  }
}

// The RFC 7638 thumbprint, as keygen sets it, so a key pair's kid matches its public JWK.
function defaultKid(privateKey: string | Jwk): string {
  if (typeof privateKey !== "string" && typeof privateKey.kid === "string") return privateKey.kid;
  const key =
    typeof privateKey === "string"
      ? createPrivateKey(privateKey)
      : createPrivateKey({ key: privateKey, format: "jwk" });
  return jwkThumbprint(createPublicKey(key).export({ format: "jwk" }) as Jwk);
}

function readPrivateKey(file: string): string | Jwk {
  const text = readTextFile(file, "--private-key").trim();
  // A JWK file is JSON; anything else is handed on as PEM and validated by the library.
  return text.startsWith("{") ? (JSON.parse(text) as Jwk) : text;
}

/**
 * Turns the signing flags into the `auth` block of a configuration, or `undefined` when no
 * signing flag was given (an update then keeps its auth). Never prints the secret.
 *
 * @example
 * ```ts
 * const auth = authFromFlags(cmd.opts()); // { type: "jwt", algorithm: "HS256", keys: [...], issuer }
 * ```
 */
export function authFromFlags(flags: SigningFlags): AuthInput | undefined {
  const given = [flags.secret !== undefined, flags.privateKey !== undefined, flags.auth === false].filter(Boolean);
  if (given.length > 1) throw new UsageError("choose one of --secret, --private-key or --no-auth.");
  if (flags.auth === false) return { type: "none" };
  if (flags.secret?.startsWith("whsec_")) return { type: "standard-webhooks", secret: flags.secret };
  const jwt = {
    type: "jwt" as const,
    issuer: flags.issuer,
    audience: flags.audience,
    expiresInSeconds: flags.expiresIn,
  };
  if (flags.secret !== undefined) {
    const key = { kid: flags.kid ?? "key-1", secret: flags.secret, secretEncoding: flags.secretEncoding };
    return { ...jwt, algorithm: flags.alg ?? "HS256", keys: [key] };
  }
  if (flags.privateKey !== undefined) {
    const privateKey = readPrivateKey(flags.privateKey);
    const algorithm = flags.alg ?? inferAlgorithm(privateKey);
    return { ...jwt, algorithm, keys: [{ kid: flags.kid ?? defaultKid(privateKey), privateKey }] };
  }
  return undefined;
}

/**
 * The validated `auth` block the signing flags describe, checked exactly as `registry.create()`
 * checks it (key strength, algorithm and key type). An explicit choice is required.
 *
 * @throws `UsageError` when no way to sign was chosen, `ConfigValidationError` when it is invalid.
 * @example
 * ```ts
 * const signer = createAuthSigner({ auth: authConfigFromFlags(flags), url, orgId, sandbox });
 * ```
 */
export function authConfigFromFlags(flags: SigningFlags): AuthConfig {
  const input = authFromFlags(flags);
  if (input === undefined)
    throw new UsageError("choose how to sign: --secret <secret>, --private-key <file> or --no-auth.");
  const parsed = authInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ConfigValidationError(toIssues(parsed.error, ["auth"]), { what: "Invalid signing options" });
  const { auth, issues } = normalizeAuth(parsed.data, new Date());
  if (issues.length > 0) throw new ConfigValidationError(issues, { what: "Invalid signing options" });
  return auth;
}
