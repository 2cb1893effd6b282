import type { WebhookRegistry } from "../config/create-registry.js";
import type { WebhookConfig } from "../config/webhook-config.js";
import { type Issue, isWebhookError, PayloadValidationError } from "../errors.js";
import { unchangedBuiltJson } from "../schemas/built-event-json.js";
import { createFeedbackEvent, type FeedbackEvent, type FeedbackEventInput } from "../schemas/index.js";
import type { NewDelivery, Storage } from "../storage/storage.js";
import type { ResolvedDispatcherOptions } from "./resolve-dispatcher-options.js";

/** Why a publish enqueued nothing. */
export type SkipReason = "no_config" | "disabled" | "channel_not_subscribed" | "campaign_not_enabled";

/** What `publish` did with one event. */
export type PublishResult =
  /** Committed to the storage (or, with `tx`, written in the caller's transaction). `duplicate`: the idempotency key was already enqueued; `deliveryId` is that delivery's. */
  { status: "enqueued"; deliveryId: string; duplicate: boolean } | { status: "skipped"; reason: SkipReason };

/** An event as `createFeedbackEvent` accepts it, or one it built. */
export type PublishInput = FeedbackEventInput | FeedbackEvent;

/** Options of `publishMany`. */
export interface PublishManyOptions {
  /**
   * Transactional outbox: the caller's open transaction (a `pg` client after `BEGIN`, a
   * `better-sqlite3` handle). The deliveries become visible when the caller commits.
   */
  tx?: unknown;
}

/** Options of `publish`. */
export interface PublishOptions extends PublishManyOptions {
  /** Overrides the derived idempotency key of this event. */
  idempotencyKey?: string;
}

/** A validated event and the exact JSON text that will be sent. */
interface Validated {
  event: FeedbackEvent;
  body: string;
}

function validateOne(input: PublishInput): Validated {
  // Built by createFeedbackEvent and unchanged since: already validated. A copy from the text
  // keeps the routing, the key and the body the same validated data whatever `input` holds.
  const built = unchangedBuiltJson(input);
  if (built !== undefined) return { event: JSON.parse(built) as FeedbackEvent, body: built };
  const event = createFeedbackEvent(input as FeedbackEventInput) as FeedbackEvent;
  return { event, body: JSON.stringify(event) };
}

function validateAll(inputs: readonly PublishInput[]): Validated[] {
  const issues: Issue[] = [];
  const validated = inputs.map((input, i) => {
    try {
      return validateOne(input);
    } catch (error) {
      if (!isWebhookError(error, "ERR_PAYLOAD_INVALID")) throw error;
      const prefix = inputs.length === 1 ? "" : `[${i}]`;
      for (const issue of (error as PayloadValidationError).issues) {
        issues.push({
          path: prefix && issue.path ? `${prefix}.${issue.path}` : prefix || issue.path,
          message: issue.message,
        });
      }
      return undefined;
    }
  });
  if (issues.length > 0) throw new PayloadValidationError(issues);
  return validated as Validated[];
}

/**
 * Builds `publish` / `publishMany`: strict validation, routing to the org + sandbox's
 * configuration (or a skip reason), and one atomic enqueue per call.
 *
 * @example
 * ```ts
 * const { publishMany } = createPublisher({ storage, registry, options, nextId, onEnqueued: wake });
 * ```
 */
export function createPublisher(deps: {
  storage: Storage;
  registry: WebhookRegistry;
  options: Readonly<ResolvedDispatcherOptions>;
  nextId: () => string;
  onEnqueued: () => void;
}) {
  const { storage, registry, options: o } = deps;

  // Each org + sandbox's configuration, and each campaign switch, is read once per call and
  // only as far as an event needs it: no campaign lookup for an event skipped before that.
  async function routeAll(events: readonly FeedbackEvent[]): Promise<Array<WebhookConfig | SkipReason>> {
    const configs = new Map<string, Promise<WebhookConfig | undefined>>();
    const pairs = events.map((event) => {
      const pair = JSON.stringify([event.imsOrg, event.sandbox.name]);
      if (!configs.has(pair)) configs.set(pair, registry.get({ orgId: event.imsOrg, sandboxName: event.sandbox.name }));
      return pair;
    });
    // Promise.all, not one await after another: a second rejection must not go unhandled.
    const configOf = new Map(
      await Promise.all([...configs].map(async ([pair, config]) => [pair, await config] as const)),
    );
    const campaigns = new Map<string, Promise<boolean>>();
    const routed = events.map((event, i): { config: WebhookConfig; campaign: string } | SkipReason => {
      const config = configOf.get(pairs[i]!);
      if (config === undefined) return "no_config";
      if (!config.enabled) return "disabled";
      if (!config.channels.includes(event.channel)) return "channel_not_subscribed";
      const key = {
        orgId: event.imsOrg,
        sandboxName: event.sandbox.name,
        campaignId: event.messageExecution.campaignID,
      };
      const campaign = JSON.stringify(key);
      if (!campaigns.has(campaign)) campaigns.set(campaign, registry.isCampaignEnabled(key));
      return { config, campaign };
    });
    const enabled = new Map(
      await Promise.all([...campaigns].map(async ([campaign, on]) => [campaign, await on] as const)),
    );
    return routed.map((route) => {
      if (typeof route === "string") return route;
      return enabled.get(route.campaign) ? route.config : "campaign_not_enabled";
    });
  }

  async function publishAll(inputs: readonly PublishInput[], keys: ReadonlyArray<string | undefined>, tx: unknown) {
    const validated = validateAll(inputs);
    const routes = await routeAll(validated.map((v) => v.event));
    const fresh: NewDelivery[] = [];
    validated.forEach(({ event, body }, i) => {
      const route = routes[i]!;
      if (typeof route === "string") return;
      fresh.push({
        id: deps.nextId(),
        configId: route.id,
        orgId: event.imsOrg,
        sandboxName: event.sandbox.name,
        requestId: event.requestId,
        idempotencyKey: keys[i] ?? o.idempotencyKey(event),
        identities: [
          ...new Set(Object.values(event.identityMap).flatMap((list) => list.map((identity) => identity.id))),
        ],
        body,
      });
    });
    const enqueued =
      fresh.length === 0
        ? []
        : await storage.enqueueDeliveries(fresh, {
            idempotencyWindowMs: o.idempotencyWindowMs,
            ...(tx !== undefined && { tx }),
          });
    if (enqueued.some((r) => r.created)) deps.onEnqueued();
    let next = 0;
    return routes.map((route): PublishResult => {
      if (typeof route === "string") return { status: "skipped", reason: route };
      const r = enqueued[next++]!;
      return { status: "enqueued", deliveryId: r.id, duplicate: !r.created };
    });
  }

  return {
    async publish(input: PublishInput, options: PublishOptions = {}): Promise<PublishResult> {
      const [result] = await publishAll([input], [options.idempotencyKey], options.tx);
      return result!;
    },
    publishMany(inputs: readonly PublishInput[], options: PublishManyOptions = {}): Promise<PublishResult[]> {
      return publishAll(inputs, [], options.tx);
    },
  };
}
