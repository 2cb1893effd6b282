import { type Command, Option } from "commander";
import { createDispatcher } from "../dispatcher/index.js";
import { DeliveryNotFoundError } from "../errors.js";
import type { DeliveryStatus } from "../storage/storage.js";
import { deliveriesTable, describeDelivery } from "./describe-delivery.js";
import { addStorageOptions, type StorageFlags, withStorage } from "./open-storage.js";
import { stdout, UsageError } from "./output.js";
import { integerIn, parseSince } from "./parse-options.js";
import { withExamples } from "./with-examples.js";

interface ListFlags extends StorageFlags {
  status?: DeliveryStatus;
  requestId?: string;
  org?: string;
  config?: string;
  since?: Date;
  limit: number;
  json?: boolean;
}

interface RedeliverFlags extends StorageFlags {
  dead?: boolean;
  since: Date;
  limit: number;
}

/**
 * Registers `deliveries list|show|redeliver` over the storage: the delivery queue and the attempt
 * log, and putting dead letters back in the queue (a running dispatcher sends them).
 *
 * @example
 * ```ts
 * registerDeliveriesCommand(program);
 * ```
 */
export function registerDeliveriesCommand(program: Command): void {
  const deliveries = program
    .command("deliveries")
    .description("inspect deliveries and their attempts; redeliver dead letters");

  const list = addStorageOptions(
    deliveries
      .command("list")
      .description("list deliveries, newest first")
      .addOption(
        new Option("--status <status>", "only this status").choices(["pending", "in_flight", "delivered", "dead"]),
      )
      .option("--request-id <id>", "only this requestId")
      .option("--org <orgId>", "only this organization")
      .option("--config <id>", "only this configuration")
      .option("--since <when>", "only created since (ISO date, or 30m, 24h, 7d)", (v) => parseSince(v))
      .option("--limit <n>", "at most this many", integerIn(1, 1000), 50)
      .option("--json", "print one JSON object per line"),
  ).action(async (flags: ListFlags) => {
    const records = await withStorage(flags, (storage) =>
      storage.listDeliveries({
        status: flags.status,
        requestId: flags.requestId,
        orgId: flags.org,
        configId: flags.config,
        since: flags.since,
        limit: flags.limit,
      }),
    );
    if (flags.json) {
      for (const record of records) stdout.line(JSON.stringify(record));
    } else if (records.length === 0) {
      stdout.line("no deliveries");
    } else {
      for (const line of deliveriesTable(records)) stdout.line(line);
    }
  });
  withExamples(list, [
    "feedback-webhooks deliveries list --status dead --since 24h",
    "feedback-webhooks deliveries list --request-id 8NoByJneShCdCGRnrGS1t1m3CdA73dhR --json",
  ]);

  const show = addStorageOptions(
    deliveries
      .command("show")
      .argument("<id>", "delivery id (the webhook-id header)")
      .description("show one delivery and its attempt log")
      .option("--json", "print it as JSON (body included)"),
  ).action(async (id: string, flags: StorageFlags & { json?: boolean }) => {
    const record = await withStorage(flags, (storage) => storage.getDelivery(id));
    if (record === undefined) throw new DeliveryNotFoundError(id);
    if (flags.json) stdout.line(JSON.stringify(record, null, 2));
    else for (const line of describeDelivery(record)) stdout.line(line);
  });
  withExamples(show, ["feedback-webhooks deliveries show 01970f5e-…"]);

  const redeliver = addStorageOptions(
    deliveries
      .command("redeliver")
      .argument("[id]", "the dead delivery to send again")
      .description("put a dead delivery (or every recent one) back in the queue; a running dispatcher sends it")
      .option("--dead", "redeliver every dead delivery that died since --since")
      .addOption(
        new Option("--since <when>", "with --dead: died since (ISO date, or 30m, 24h, 7d)")
          .argParser((v) => parseSince(v))
          .default(parseSince("24h"), "24h"),
      )
      .option("--limit <n>", "with --dead: at most this many", integerIn(1, 100_000), 1000),
  ).action(async (id: string | undefined, flags: RedeliverFlags) => {
    if ((id === undefined) === (flags.dead !== true)) throw new UsageError("give a delivery id, or --dead (not both).");
    await withStorage(flags, async (storage) => {
      // The dispatcher is only created, never started: its redeliver has the library's checks
      // and errors, and a running dispatcher elsewhere picks the delivery up.
      const dispatcher = createDispatcher({ storage });
      try {
        if (id === undefined) {
          const count = await dispatcher.redeliverDead({ since: flags.since, limit: flags.limit });
          stdout.line(`${count} dead deliver${count === 1 ? "y" : "ies"} put back in the queue`);
        } else {
          const delivery = await dispatcher.redeliver(id);
          stdout.line(`delivery ${id} is ${delivery.status} again: a running dispatcher sends it`);
        }
      } finally {
        await dispatcher.stop();
      }
    });
  });
  withExamples(redeliver, [
    "feedback-webhooks deliveries redeliver 01970f5e-…",
    "feedback-webhooks deliveries redeliver --dead --since 2h",
  ]);
}
