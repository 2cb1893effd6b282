import { type Clock, systemClock } from "../../clock.js";
import type { DeliveryStorage, Storage } from "../storage.js";
import { MemoryConfigStorage } from "./memory-config-storage.js";
import { MemoryDeliveryStorage } from "./memory-delivery-storage.js";
import { MemoryEndpointStates } from "./memory-endpoint-states.js";

type Args<K extends keyof DeliveryStorage> = Parameters<NonNullable<DeliveryStorage[K]>>;

/** Options of {@link memoryStorage}. */
export interface MemoryStorageOptions {
  /** Where lease, retry and retention times come from; inject a manual clock in tests. @default systemClock */
  clock?: Clock;
}

/**
 * The whole {@link Storage} port in process memory: configurations from
 * {@link MemoryConfigStorage}, deliveries from {@link MemoryDeliveryStorage}, endpoint states from
 * {@link MemoryEndpointStates}. Transactions (`tx`) do not exist here and are ignored.
 *
 * @example
 * ```ts
 * const storage: MemoryStorage = memoryStorage({ clock: createManualClock() });
 * await storage.claimDeliveries({ limit: 10, leaseMs: 60_000 });
 * ```
 */
export class MemoryStorage extends MemoryConfigStorage implements Storage {
  readonly #deliveries: MemoryDeliveryStorage;
  readonly #endpoints: MemoryEndpointStates;

  constructor(clock: Clock) {
    super();
    this.#endpoints = new MemoryEndpointStates(clock);
    this.#deliveries = new MemoryDeliveryStorage(clock, this.#endpoints, (id) => this.configVersion(id));
  }

  enqueueDeliveries(...a: Args<"enqueueDeliveries">) {
    return this.#deliveries.enqueueDeliveries(...a);
  }
  claimDeliveries(...a: Args<"claimDeliveries">) {
    return this.#deliveries.claimDeliveries(...a);
  }
  renewLease(...a: Args<"renewLease">) {
    return this.#deliveries.renewLease(...a);
  }
  settleDelivery(...a: Args<"settleDelivery">) {
    return this.#deliveries.settleDelivery(...a);
  }
  settleDeliveries(...a: Args<"settleDeliveries">) {
    return this.#deliveries.settleDeliveries(...a);
  }
  getDelivery(...a: Args<"getDelivery">) {
    return this.#deliveries.getDelivery(...a);
  }
  listDeliveries(...a: Args<"listDeliveries">) {
    return this.#deliveries.listDeliveries(...a);
  }
  redeliverDelivery(...a: Args<"redeliverDelivery">) {
    return this.#deliveries.redeliverDelivery(...a);
  }
  redeliverDead(...a: Args<"redeliverDead">) {
    return this.#deliveries.redeliverDead(...a);
  }
  expireDeliveries(...a: Args<"expireDeliveries">) {
    return this.#deliveries.expireDeliveries(...a);
  }
  pruneDeliveries(...a: Args<"pruneDeliveries">) {
    return this.#deliveries.pruneDeliveries(...a);
  }
  purgeDeliveries(...a: Args<"purgeDeliveries">) {
    return this.#deliveries.purgeDeliveries(...a);
  }
  deliveryBacklog() {
    return this.#deliveries.deliveryBacklog();
  }
  getEndpointState(...a: Args<"getEndpointState">) {
    return this.#endpoints.getEndpointState(...a);
  }
  listEndpointStates() {
    return this.#endpoints.listEndpointStates();
  }
  recordEndpointSuccess(...a: Args<"recordEndpointSuccess">) {
    return this.#endpoints.recordEndpointSuccess(...a);
  }
  recordEndpointFailure(...a: Args<"recordEndpointFailure">) {
    return this.#endpoints.recordEndpointFailure(...a);
  }
  suspendEndpoint(...a: Args<"suspendEndpoint">) {
    return this.#endpoints.suspendEndpoint(...a);
  }
  resumeEndpoint(...a: Args<"resumeEndpoint">) {
    return this.#endpoints.resumeEndpoint(...a);
  }
}

/**
 * A storage that keeps everything in process memory: for tests and examples. Lost on exit —
 * use `sqliteStorage` (embedded, durable) or `postgresStorage` (many processes) in production.
 *
 * @example
 * ```ts
 * import { memoryStorage } from "feedback-webhooks/storage/memory";
 * import { createManualClock } from "feedback-webhooks/testing";
 * const clock = createManualClock();
 * const storage = memoryStorage({ clock });
 * const dispatcher = createDispatcher({ storage, clock });
 * ```
 */
export function memoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  return new MemoryStorage(options.clock ?? systemClock);
}
