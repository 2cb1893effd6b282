import type { ConfigDocument } from "../config/config-codec.js";
import type { DeliveryStorage } from "./delivery-storage.js";

export type * from "./delivery-storage.js";

/**
 * One stored configuration. `orgId` + `sandboxName` is unique: the storage enforces it
 * atomically (a unique index, a transaction), never by a read-then-write in the caller.
 */
export interface ConfigRecord {
  id: string;
  orgId: string;
  sandboxName: string;
  version: number;
  /** The serialized configuration (see `encodeConfig`); opaque to the storage. */
  doc: ConfigDocument;
}

/** Page through records ordered by id. */
export interface ListConfigsQuery {
  orgId?: string;
  /** Return records with an id greater than this (the previous page's `nextCursor`). */
  cursor?: string;
  limit: number;
}

/** Identifies the campaign switch of one campaign in one org + sandbox. */
export interface CampaignKey {
  orgId: string;
  sandboxName: string;
  campaignId: string;
}

/**
 * The storage port for configurations and campaign switches. Small on purpose: each adapter
 * (memory, SQLite, PostgreSQL) implements exactly these methods and runs the shared contract
 * suite in `test/contract/`.
 */
export interface ConfigStorage {
  /** Inserts a new record. Throws `ConfigConflictError` (naming the existing id) when org + sandbox exists. */
  insertConfig(record: ConfigRecord): Promise<void>;
  getConfig(orgId: string, sandboxName: string): Promise<ConfigRecord | undefined>;
  getConfigById(id: string): Promise<ConfigRecord | undefined>;
  listConfigs(query: ListConfigsQuery): Promise<ConfigRecord[]>;
  /**
   * Replaces the record if its stored version equals `expectedVersion`, in one atomic step.
   * Throws `VersionConflictError` otherwise (nothing written). `record.version` is the new version.
   */
  updateConfig(record: ConfigRecord, expectedVersion: number): Promise<void>;
  /** Deletes the record (only at `expectedVersion` when given). Returns false when it did not exist. */
  deleteConfig(id: string, expectedVersion?: number): Promise<boolean>;
  /** Records whether a campaign has "enable webhooks" on. */
  setCampaignEnabled(key: CampaignKey, enabled: boolean): Promise<void>;
  isCampaignEnabled(key: CampaignKey): Promise<boolean>;
  /** Campaign ids with webhooks on for this org + sandbox, sorted. */
  listEnabledCampaigns(orgId: string, sandboxName: string): Promise<string[]>;
  /** Releases connections and file handles. Idempotent. */
  close(): Promise<void>;
}

/**
 * The whole storage port: configurations and deliveries. Implemented by `memoryStorage()`,
 * `sqliteStorage()` and `postgresStorage()`, all checked by `describeStorageContract`.
 */
export interface Storage extends ConfigStorage, DeliveryStorage {}
