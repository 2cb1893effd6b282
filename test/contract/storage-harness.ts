import { randomUUID } from "node:crypto";
import { createDeliveryIdGenerator } from "../../src/dispatcher/delivery-id.js";
import type { ConfigRecord, NewDelivery, Storage } from "../../src/storage/storage.js";

/**
 * What each storage adapter hands to the shared contract suite.
 *
 * Time: the suite never moves time by more than ~1 s at once, so an adapter whose clock is the
 * database's may implement `advance` with a real sleep (or a test-only clock offset); in-process
 * adapters move their injected manual clock.
 */
export interface StorageHarness {
  /** A fresh, empty storage. */
  storage: Storage;
  /** Moves the storage's clock forward by `ms`. */
  advance(ms: number): Promise<void> | void;
  /** Closes the storage and removes what the factory created. */
  cleanup(): Promise<void>;
}

/** Creates one fresh harness per test. */
export type StorageFactory = () => Promise<StorageHarness>;

/** A valid configuration record; override one field per test. */
export function configRecord(overrides: Partial<ConfigRecord> = {}): ConfigRecord {
  const id = overrides.id ?? randomUUID();
  return {
    id,
    orgId: "myImsOrg",
    sandboxName: "prod",
    version: 1,
    doc: { id, name: "Feedback to CRM", url: "https://hooks.example.com/feedback" },
    ...overrides,
  };
}

const nextId = createDeliveryIdGenerator({ now: () => Date.now() });

/** A valid new delivery with a unique id and idempotency key; override one field per test. */
export function newDelivery(overrides: Partial<NewDelivery> = {}): NewDelivery {
  const id = nextId();
  return {
    id,
    configId: "c0000000-0000-4000-8000-000000000001",
    orgId: "myImsOrg",
    sandboxName: "prod",
    requestId: "8NoByJneShCdCGRnrGS1t1m3CdA73dhR",
    idempotencyKey: `key-${id}`,
    identities: ["john.doe@luma.com"],
    body: '{"requestId":"8NoByJneShCdCGRnrGS1t1m3CdA73dhR","eventType":"message.feedback"}',
    ...overrides,
  };
}

/** Enough for every test that does not exercise the idempotency window. */
export const DAY_MS = 86_400_000;
