import type { AttemptContext } from "./attempt-context.js";

/** At most this many batches per kind and run, so maintenance never hogs the worker loop. */
const MAX_BATCHES = 10;

async function inBatches(batchSize: number, run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await run();
    total += n;
    if (n < batchSize) break;
  }
  return total;
}

/**
 * Dead-letters deliveries past the maximum age (held and paused ones included), firing `onDead`
 * (reason `max_age`, no attempt) for each, and prunes old delivered and dead deliveries, in
 * small batches.
 *
 * @example
 * ```ts
 * await runMaintenance(ctx); // the worker calls it every `retention.intervalMs`
 * ```
 */
export async function runMaintenance(ctx: AttemptContext): Promise<void> {
  const { storage, options: o, log, emit } = ctx;
  const limit = o.maintenanceBatchSize;
  const expired = await inBatches(limit, async () => {
    const dead = await storage.expireDeliveries({ maxAgeMs: o.retry.maxAgeMs, limit });
    for (const delivery of dead) emit("onDead", { delivery, reason: "max_age" });
    return dead.length;
  });
  const pruned = await inBatches(limit, () =>
    storage.pruneDeliveries({
      deliveredOlderThanMs: o.deliveredRetentionMs,
      deadOlderThanMs: o.deadRetentionMs,
      limit,
    }),
  );
  if (expired > 0 || pruned > 0) {
    log.info(
      { expired, pruned },
      "feedback-webhooks: maintenance dead-lettered expired deliveries and pruned old ones",
    );
  }
}
