import { ConfigConflictError, VersionConflictError } from "../../errors.js";
import type { CampaignKey, ConfigRecord, ConfigStorage, ListConfigsQuery } from "../storage.js";

const pairKey = (orgId: string, sandboxName: string) => JSON.stringify([orgId, sandboxName]);
const campaignKey = (k: CampaignKey) => JSON.stringify([k.orgId, k.sandboxName, k.campaignId]);

/**
 * Configurations and campaign switches in memory. Records are kept as JSON strings, like a
 * database row, so callers never share mutable objects with the store and tests can read the
 * raw stored text (`rawConfigs()`).
 *
 * @example
 * ```ts
 * const configs = new MemoryConfigStorage();
 * await configs.insertConfig(record);
 * configs.rawConfigs(); // the JSON text at rest
 * ```
 */
export class MemoryConfigStorage implements ConfigStorage {
  readonly #configs = new Map<string, string>();
  // Each record's version, so a claim reads it without parsing the record.
  readonly #versions = new Map<string, number>();
  readonly #byPair = new Map<string, string>();
  readonly #campaigns = new Set<string>();

  async insertConfig(record: ConfigRecord): Promise<void> {
    // Check and insert run without an await in between: atomic on the event loop.
    const pair = pairKey(record.orgId, record.sandboxName);
    const existing = this.#byPair.get(pair);
    if (existing !== undefined) throw new ConfigConflictError(record.orgId, record.sandboxName, existing);
    this.#byPair.set(pair, record.id);
    this.#configs.set(record.id, JSON.stringify(record));
    this.#versions.set(record.id, record.version);
  }

  async getConfig(orgId: string, sandboxName: string): Promise<ConfigRecord | undefined> {
    const id = this.#byPair.get(pairKey(orgId, sandboxName));
    return id === undefined ? undefined : this.getConfigById(id);
  }

  async getConfigById(id: string): Promise<ConfigRecord | undefined> {
    const raw = this.#configs.get(id);
    return raw === undefined ? undefined : (JSON.parse(raw) as ConfigRecord);
  }

  async listConfigs(query: ListConfigsQuery): Promise<ConfigRecord[]> {
    const out: ConfigRecord[] = [];
    for (const id of [...this.#configs.keys()].sort()) {
      if (query.cursor !== undefined && id <= query.cursor) continue;
      const record = JSON.parse(this.#configs.get(id)!) as ConfigRecord;
      if (query.orgId !== undefined && record.orgId !== query.orgId) continue;
      out.push(record);
      if (out.length >= query.limit) break;
    }
    return out;
  }

  async updateConfig(record: ConfigRecord, expectedVersion: number): Promise<void> {
    const current = await this.getConfigById(record.id);
    if (current?.version !== expectedVersion) {
      throw new VersionConflictError(record.id, expectedVersion, current?.version);
    }
    this.#configs.set(record.id, JSON.stringify(record));
    this.#versions.set(record.id, record.version);
  }

  async deleteConfig(id: string, expectedVersion?: number): Promise<boolean> {
    const current = await this.getConfigById(id);
    if (current === undefined) return false;
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionConflictError(id, expectedVersion, current.version);
    }
    this.#configs.delete(id);
    this.#versions.delete(id);
    this.#byPair.delete(pairKey(current.orgId, current.sandboxName));
    return true;
  }

  async setCampaignEnabled(key: CampaignKey, enabled: boolean): Promise<void> {
    if (enabled) this.#campaigns.add(campaignKey(key));
    else this.#campaigns.delete(campaignKey(key));
  }

  async isCampaignEnabled(key: CampaignKey): Promise<boolean> {
    return this.#campaigns.has(campaignKey(key));
  }

  async listEnabledCampaigns(orgId: string, sandboxName: string): Promise<string[]> {
    return [...this.#campaigns]
      .map((k) => JSON.parse(k) as [string, string, string])
      .filter(([o, s]) => o === orgId && s === sandboxName)
      .map(([, , c]) => c)
      .sort();
  }

  /**
   * The stored version of a configuration, undefined when there is none; synchronous, so a claim
   * reads it atomically with the deliveries it leases.
   */
  configVersion(id: string): number | undefined {
    return this.#versions.get(id);
  }

  /** The stored JSON text of every configuration, for tests that inspect data at rest. */
  rawConfigs(): string[] {
    return [...this.#configs.values()];
  }

  async close(): Promise<void> {}
}
