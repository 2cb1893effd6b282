import type { Command } from "commander";
import { createRegistry } from "../config/index.js";
import { addStorageOptions, type StorageFlags, withStorage } from "./open-storage.js";
import { stdout } from "./output.js";
import { withExamples } from "./with-examples.js";

type Flags = StorageFlags & { org: string; sandbox: string };

function campaignCommand(parent: Command, name: string, description: string): Command {
  return addStorageOptions(
    parent
      .command(name)
      .description(description)
      .requiredOption("--org <orgId>", "organization id")
      .requiredOption("--sandbox <name>", "sandbox name"),
  );
}

/**
 * Registers `campaign enable|disable|list`: the per-campaign "enable webhooks" switch. The
 * dispatcher skips events of campaigns whose switch is off.
 *
 * @example
 * ```ts
 * registerCampaignCommand(program);
 * ```
 */
export function registerCampaignCommand(program: Command): void {
  const campaign = program.command("campaign").description('turn a campaign\'s "enable webhooks" switch on or off');

  for (const enabled of [true, false]) {
    const verb = enabled ? "enable" : "disable";
    const cmd = campaignCommand(campaign, verb, `${verb} feedback webhooks for a campaign`)
      .argument("<campaignId>", "the campaign's id (messageExecution.campaignID)")
      .action(async (campaignId: string, flags: Flags) => {
        await withStorage(flags, async (storage) => {
          const registry = createRegistry({ storage });
          const key = { orgId: flags.org, sandboxName: flags.sandbox, campaignId };
          await (enabled ? registry.enableCampaign(key) : registry.disableCampaign(key));
        });
        stdout.line(`${verb}d webhooks for campaign ${campaignId} (org "${flags.org}" sandbox "${flags.sandbox}")`);
      });
    withExamples(cmd, [
      `feedback-webhooks campaign ${verb} 16f24a15-7e21-477c-848a-d5695ca7f137 --org myImsOrg --sandbox prod`,
    ]);
  }

  const list = campaignCommand(campaign, "list", "list the campaigns with webhooks enabled").action(
    async (flags: Flags) => {
      const ids = await withStorage(flags, (storage) =>
        createRegistry({ storage }).listEnabledCampaigns({ orgId: flags.org, sandboxName: flags.sandbox }),
      );
      if (ids.length === 0)
        stdout.line(`no campaign has webhooks enabled in org "${flags.org}" sandbox "${flags.sandbox}"`);
      for (const id of ids) stdout.line(id);
    },
  );
  withExamples(list, ["feedback-webhooks campaign list --org myImsOrg --sandbox prod"]);
}
