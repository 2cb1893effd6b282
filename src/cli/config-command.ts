import { type Command, Option } from "commander";
import {
  createRegistry,
  type WebhookConfigInput,
  type WebhookConfigPatch,
  type WebhookRegistry,
} from "../config/index.js";
import type { WebhookConfig } from "../config/webhook-config.js";
import { ConfigNotFoundError } from "../errors.js";
import { CHANNELS } from "../schemas/channel.js";
import { addSigningOptions } from "./auth-flags.js";
import { type ConfigFlags, createInputFromFlags, patchFromFlags } from "./config-input.js";
import { configTable, describeConfig } from "./describe-config.js";
import { addStorageOptions, type StorageFlags, withStorage } from "./open-storage.js";
import { stdout, UsageError } from "./output.js";
import { collectHeader, integerIn, listOf } from "./parse-options.js";
import { withExamples } from "./with-examples.js";

type Flags = ConfigFlags &
  StorageFlags & {
    json?: boolean;
    allowPrivateNetworks?: boolean;
    expectedVersion?: number;
    limit: number;
    disabled?: boolean;
    encryptionKey?: string;
  };

const collect = (value: string, previous: string[] = []) => [...previous, value];

function withRegistry<T>(flags: Flags, use: (registry: WebhookRegistry) => Promise<T>): Promise<T> {
  const { encryptionKey } = flags;
  return withStorage(flags, (storage) =>
    use(createRegistry({ storage, encryptionKey, allowPrivateNetworks: flags.allowPrivateNetworks === true })),
  );
}

/** Finds a configuration by id, or by `--org` + `--sandbox`. */
async function findConfig(registry: WebhookRegistry, id: string | undefined, flags: Flags): Promise<WebhookConfig> {
  if (id !== undefined) {
    const config = await registry.getById(id);
    if (config === undefined) throw new ConfigNotFoundError(`id ${id}`);
    return config;
  }
  if (flags.org === undefined || flags.sandbox === undefined) {
    throw new UsageError("name the configuration: <id>, or --org <orgId> --sandbox <name>.");
  }
  const config = await registry.get({ orgId: flags.org, sandboxName: flags.sandbox });
  if (config === undefined) throw new ConfigNotFoundError(`org "${flags.org}" sandbox "${flags.sandbox}"`);
  return config;
}

/** Prints a configuration; `verb` (created, updated) heads the readable form. */
function printConfig(config: WebhookConfig, flags: Flags, verb?: string): void {
  if (flags.json) {
    // Secret values serialize as "[REDACTED]".
    const { id, version, ...fields } = config;
    stdout.line(JSON.stringify({ id, version, ...fields }, null, 2));
    return;
  }
  stdout.line(`${verb === undefined ? "" : `${verb} `}webhook configuration ${config.id} (version ${config.version})`);
  for (const line of describeConfig(config)) stdout.line(`  ${line}`);
}

function addFieldOptions(cmd: Command): Command {
  return cmd
    .option("--from-file <file>", "read the fields from a JSON file; flags override it")
    .option("--name <name>", "display name, 1–128 characters")
    .option("--url <url>", "the https URL events are POSTed to")
    .option("--channels <list>", "comma-separated channels: email,sms", listOf(CHANNELS))
    .option("--header <K:V>", "custom header sent on every request (repeatable)", collectHeader)
    .option("--remove-header <name>", "drop a custom header (repeatable)", collect)
    .option("--allow-http", "development opt-in: allow an http:// URL on a loopback host")
    .option("--allow-private-networks", "allow https URLs on private or loopback IP addresses")
    .option("--json", "print the configuration as JSON (secrets redacted)");
}

/** The options of create and update, in the order `--help` shows them. */
function addWriteOptions(cmd: Command): Command {
  return addConfigStorageOptions(addSigningOptions(addFieldOptions(identifyOptions(cmd))));
}

function identifyOptions(cmd: Command): Command {
  return cmd.option("--org <orgId>", "organization id").option("--sandbox <name>", "sandbox name");
}

/** Storage flags plus the key that seals key material at rest, when the application uses one. */
function addConfigStorageOptions(cmd: Command): Command {
  return addStorageOptions(cmd).addOption(
    new Option("--encryption-key <key>", "the registry's encryptionKey, when key material is stored encrypted")
      .env("FW_ENCRYPTION_KEY")
      .helpGroup("Storage:"),
  );
}

/**
 * Registers `config create|show|update|delete|list`: the registry over the chosen storage,
 * with the library's validation and errors.
 *
 * @example
 * ```ts
 * registerConfigCommand(program);
 * ```
 */
export function registerConfigCommand(program: Command): void {
  const config = program.command("config").description("create, show, update, delete and list webhook configurations");

  const create = config.command("create").description("create the webhook configuration of an org + sandbox");
  addWriteOptions(
    create
      .option("--sandbox-id <id>", "the sandbox's id (default: its name)")
      .option("--disabled", "create it switched off"),
  ).action(async (flags: Flags) => {
    const input = createInputFromFlags({ ...flags, enabled: flags.disabled ? false : undefined });
    const created = await withRegistry(flags, (registry) => registry.create(input as WebhookConfigInput));
    printConfig(created, flags, "created");
  });
  withExamples(create, [
    'feedback-webhooks config create --org myImsOrg --sandbox prod --name "CRM feedback" \\\n      --url https://hooks.example.com/feedback --secret "$FW_SECRET"',
    "feedback-webhooks config create --from-file webhook.json --database-url postgres://localhost/app",
    "feedback-webhooks config create --org dev --sandbox local --name Local --url http://127.0.0.1:3000/webhooks --allow-http --no-auth",
  ]);

  const show = config.command("show").argument("[id]", "configuration id").description("show one configuration");
  addConfigStorageOptions(identifyOptions(show))
    .option("--json", "print it as JSON (secrets redacted)")
    .action(async (id: string | undefined, flags: Flags) => {
      printConfig(await withRegistry(flags, (registry) => findConfig(registry, id, flags)), flags);
    });
  withExamples(show, [
    "feedback-webhooks config show --org myImsOrg --sandbox prod",
    "feedback-webhooks config show 0b6e… --json",
  ]);

  const update = config.command("update").argument("[id]", "configuration id").description("change a configuration");
  addWriteOptions(
    update
      .option("--enable", "switch the webhook on")
      .option("--disable", "switch the webhook off (nothing is sent, nothing is deleted)")
      .option(
        "--expected-version <n>",
        "fail unless the stored version is this one",
        integerIn(1, Number.MAX_SAFE_INTEGER),
      ),
  ).action(async (id: string | undefined, flags: Flags & { enable?: boolean; disable?: boolean }) => {
    if (flags.enable && flags.disable) throw new UsageError("choose one of --enable or --disable.");
    const enabled = flags.enable ? true : flags.disable ? false : undefined;
    const updated = await withRegistry(flags, async (registry) => {
      const current = await findConfig(registry, id, flags);
      const patch = patchFromFlags({ ...flags, enabled }, current) as WebhookConfigPatch;
      return registry.update(current.id, patch, { expectedVersion: flags.expectedVersion ?? current.version });
    });
    printConfig(updated, flags, "updated");
  });
  withExamples(update, [
    "feedback-webhooks config update --org myImsOrg --sandbox prod --disable",
    'feedback-webhooks config update 0b6e… --header "x-team: crm" --channels email',
    'feedback-webhooks config update 0b6e… --secret "$NEW_SECRET" --kid key-2 --expected-version 3',
  ]);

  const remove = config.command("delete").argument("[id]", "configuration id").description("delete a configuration");
  addConfigStorageOptions(identifyOptions(remove))
    .option(
      "--expected-version <n>",
      "fail unless the stored version is this one",
      integerIn(1, Number.MAX_SAFE_INTEGER),
    )
    .action(async (id: string | undefined, flags: Flags) => {
      const deleted = await withRegistry(flags, async (registry) => {
        const current = await findConfig(registry, id, flags);
        const done = await registry.delete(current.id, { expectedVersion: flags.expectedVersion ?? current.version });
        if (!done) throw new ConfigNotFoundError(`id ${current.id}`);
        return current;
      });
      stdout.line(
        `deleted webhook configuration ${deleted.id} (org "${deleted.orgId}" sandbox "${deleted.sandbox.name}")`,
      );
    });
  withExamples(remove, ["feedback-webhooks config delete --org myImsOrg --sandbox prod"]);

  const list = config.command("list").description("list configurations");
  addConfigStorageOptions(list)
    .option("--org <orgId>", "only this organization")
    .addOption(new Option("--limit <n>", "at most this many").argParser(integerIn(1, 1000)).default(100))
    .option("--json", "print them as JSON lines (secrets redacted)")
    .action(async (flags: Flags) => {
      const page = await withRegistry(flags, (registry) => registry.list({ orgId: flags.org, limit: flags.limit }));
      if (flags.json) {
        for (const item of page.items) stdout.line(JSON.stringify(item));
        return;
      }
      if (page.items.length === 0) {
        stdout.line("no webhook configurations");
        return;
      }
      for (const line of configTable(page.items)) stdout.line(line);
      if (page.nextCursor) stdout.line(`… more than ${flags.limit}; raise --limit to see them`);
    });
  withExamples(list, [
    "feedback-webhooks config list",
    "feedback-webhooks config list --org myImsOrg --json | jq .url",
  ]);
}
