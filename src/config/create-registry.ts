import { randomUUID } from "node:crypto";
import { createAesGcmSealer } from "../auth/create-aes-gcm-sealer.js";
import { type Clock, systemClock } from "../clock.js";
import { ConfigNotFoundError } from "../errors.js";
import type { CampaignKey, ConfigRecord, ConfigStorage } from "../storage/storage.js";
import { decodeConfig, encodeConfig, plainSealer } from "./config-codec.js";
import { type ConfigRules, validateConfigInput, validateConfigPatch } from "./validate-config-input.js";
import type { WebhookConfig } from "./webhook-config.js";
import type { WebhookConfigInput, WebhookConfigPatch } from "./webhook-config-schema.js";

/** Options of {@link createRegistry}. */
export interface RegistryOptions extends ConfigRules {
  /** Where configurations and campaign switches live. */
  storage: ConfigStorage;
  /** Encrypts key material at rest (AES-256-GCM): 32 bytes, or their base64/base64url. */
  encryptionKey?: Uint8Array | string;
  /** @default systemClock */
  clock?: Clock;
}

/** A page of configurations. */
export interface ConfigPage {
  items: WebhookConfig[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Manages webhook configurations: exactly one per organization + sandbox. */
export interface WebhookRegistry {
  /** Validates and stores a new configuration. Throws `ConfigValidationError` or `ConfigConflictError`. */
  create(input: WebhookConfigInput): Promise<WebhookConfig>;
  get(key: { orgId: string; sandboxName: string }): Promise<WebhookConfig | undefined>;
  getById(id: string): Promise<WebhookConfig | undefined>;
  list(query?: { orgId?: string; limit?: number; cursor?: string }): Promise<ConfigPage>;
  /**
   * Applies a patch if the stored version is still `expectedVersion` (optimistic concurrency).
   * Throws `VersionConflictError` (nothing written), `ConfigNotFoundError` or `ConfigValidationError`.
   */
  update(id: string, patch: WebhookConfigPatch, options: { expectedVersion: number }): Promise<WebhookConfig>;
  /** Deletes a configuration; false when it did not exist. */
  delete(id: string, options?: { expectedVersion?: number }): Promise<boolean>;
  /** Turns the campaign's "enable webhooks" switch on. */
  enableCampaign(key: CampaignKey): Promise<void>;
  disableCampaign(key: CampaignKey): Promise<void>;
  isCampaignEnabled(key: CampaignKey): Promise<boolean>;
  listEnabledCampaigns(key: { orgId: string; sandboxName: string }): Promise<string[]>;
}

/**
 * Creates the configuration registry over a storage.
 *
 * @example
 * ```ts
 * const registry = createRegistry({ storage: memoryStorage() });
 * const config = await registry.create({
 *   orgId: "myImsOrg",
 *   sandbox: { id: "068abf40-575e-11ea-8512-9b1bfdb82603", name: "prod" },
 *   name: "Feedback to CRM",
 *   channels: ["email", "sms"],
 *   url: "https://hooks.example.com/feedback",
 *   auth: { type: "none" },
 * });
 * await registry.update(config.id, { enabled: false }, { expectedVersion: config.version });
 * ```
 */
export function createRegistry(options: RegistryOptions): WebhookRegistry {
  const { storage, clock = systemClock } = options;
  const sealer = options.encryptionKey === undefined ? plainSealer : createAesGcmSealer(options.encryptionKey);
  const rules: ConfigRules = { allowPrivateNetworks: options.allowPrivateNetworks ?? false };
  const toRecord = (config: WebhookConfig): ConfigRecord => ({
    id: config.id,
    orgId: config.orgId,
    sandboxName: config.sandbox.name,
    version: config.version,
    doc: encodeConfig(config, sealer),
  });
  const fromRecord = (record: ConfigRecord | undefined) =>
    record === undefined ? undefined : decodeConfig(record.doc, sealer);

  return {
    async create(input) {
      const now = new Date(clock.now());
      const fields = validateConfigInput(input, rules, now);
      const config: WebhookConfig = { id: randomUUID(), version: 1, createdAt: now, updatedAt: now, ...fields };
      await storage.insertConfig(toRecord(config));
      return config;
    },
    async get({ orgId, sandboxName }) {
      return fromRecord(await storage.getConfig(orgId, sandboxName));
    },
    async getById(id) {
      return fromRecord(await storage.getConfigById(id));
    },
    async list(query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
      const records = await storage.listConfigs({ ...query, limit: limit + 1 });
      const items = records.slice(0, limit).map((r) => decodeConfig(r.doc, sealer));
      const last = items.at(-1);
      return records.length > limit && last ? { items, nextCursor: last.id } : { items };
    },
    async update(id, patch, { expectedVersion }) {
      const current = fromRecord(await storage.getConfigById(id));
      if (current === undefined) throw new ConfigNotFoundError(`id ${id}`);
      const now = new Date(clock.now());
      const { id: _id, version, createdAt, updatedAt, ...currentFields } = current;
      const fields = validateConfigPatch(currentFields, patch, rules, now);
      const next: WebhookConfig = { ...fields, id, createdAt, version: expectedVersion + 1, updatedAt: now };
      await storage.updateConfig(toRecord(next), expectedVersion);
      return next;
    },
    delete(id, opts) {
      return storage.deleteConfig(id, opts?.expectedVersion);
    },
    enableCampaign(key) {
      return storage.setCampaignEnabled(key, true);
    },
    disableCampaign(key) {
      return storage.setCampaignEnabled(key, false);
    },
    isCampaignEnabled(key) {
      return storage.isCampaignEnabled(key);
    },
    listEnabledCampaigns({ orgId, sandboxName }) {
      return storage.listEnabledCampaigns(orgId, sandboxName);
    },
  };
}
