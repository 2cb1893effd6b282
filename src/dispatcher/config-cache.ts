import type { WebhookRegistry } from "../config/create-registry.js";
import type { WebhookConfig } from "../config/webhook-config.js";

/** How many configurations a {@link ConfigCache} keeps decoded; the least recently used go first. */
export const CONFIG_CACHE_SIZE = 1024;

/** Decoded configurations of claimed deliveries, reused while the claims report the same version. */
export interface ConfigCache {
  /**
   * The configuration to attempt a delivery with, given the version its claim read
   * (`ClaimedDelivery.configVersion`): undefined when the configuration is gone.
   * - a number: the decoded configuration of that version (or a newer one) when cached; else
   *   it is read through the registry, and kept unless it is older than the claim's;
   * - `null` (none existed when the claim ran): undefined, without a read — ids are never reused,
   *   so a deleted configuration does not come back;
   * - `undefined` (the storage does not say): read through the registry every time, as before.
   */
  get(configId: string, version: number | null | undefined): Promise<WebhookConfig | undefined>;
}

/**
 * Creates the dispatcher's configuration cache. A claim reads each delivery's configuration
 * version in its own statement, so an attempt whose configuration did not change since the last
 * one costs no storage read and no decoding (JSON, AES-GCM when keys are encrypted at rest),
 * while an edit committed before the claim is seen by the attempt: its version differs. One
 * entry per configuration id, at most {@link CONFIG_CACHE_SIZE}; concurrent attempts of a version
 * not yet cached share one read.
 *
 * @example
 * ```ts
 * const configs = createConfigCache(registry);
 * const config = await configs.get(claimed.configId, claimed.configVersion);
 * ```
 */
export function createConfigCache(registry: Pick<WebhookRegistry, "getById">): ConfigCache {
  // Insertion order is recency order: a hit moves its entry to the end, the first one is evicted.
  const byId = new Map<string, { version: number; config: Promise<WebhookConfig | undefined> }>();

  const read = (id: string, version: number): Promise<WebhookConfig | undefined> => {
    const config = registry.getById(id);
    const entry = { version, config };
    byId.set(id, entry);
    if (byId.size > CONFIG_CACHE_SIZE) byId.delete(byId.keys().next().value as string);
    config.then(
      (c) => {
        if (byId.get(id) !== entry) return;
        // A newer version is kept under its own number; an older one (a lagging read) is not kept.
        if (c !== undefined && c.version >= version) entry.version = c.version;
        else byId.delete(id);
      },
      () => {
        if (byId.get(id) === entry) byId.delete(id);
      },
    );
    return config;
  };

  return {
    get(id, version) {
      if (version === undefined) return registry.getById(id);
      if (version === null) {
        byId.delete(id);
        return Promise.resolve(undefined);
      }
      const cached = byId.get(id);
      // Versions only grow: a cached newer version is what the next attempt must use anyway.
      if (cached === undefined || cached.version < version) return read(id, version);
      byId.delete(id);
      byId.set(id, cached);
      return cached.config;
    },
  };
}
