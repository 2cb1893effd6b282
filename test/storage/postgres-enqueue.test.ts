import type pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { memoryStorage } from "../../src/storage/memory/index.js";
import { postgresStorage } from "../../src/storage/postgres/index.js";
import { newDelivery } from "../contract/storage-harness.js";
import { DATABASE_URL, dropSchema, skipPostgres, uniqueSchema, withClient } from "./helpers/postgres.js";

const opts = { idempotencyWindowMs: 86_400_000 };

/**
 * 2,600 deliveries over 2,300 keys: more than one statement's worth, keys out of order, and 300
 * keys repeated far apart in the input (`7919` is prime, so `i * 7919 % 2300` visits every key).
 */
const mixedBatch = () =>
  Array.from({ length: 2600 }, (_, i) => newDelivery({ idempotencyKey: `k-${(i * 7919) % 2300}` }));

describe.skipIf(skipPostgres("postgres-enqueue.test.ts"))("postgres enqueueDeliveries", () => {
  const schemas: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  const storage = (schema = uniqueSchema()) => {
    if (!schemas.includes(schema)) schemas.push(schema);
    const s = postgresStorage({ connectionString: DATABASE_URL!, schema });
    closers.push(() => s.close());
    return s;
  };
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  it("answers a batch of several statements exactly like one enqueue per delivery (the memory storage)", async () => {
    const pgStorage = storage();
    const reference = memoryStorage();
    const held = Array.from({ length: 50 }, (_, i) => newDelivery({ idempotencyKey: `k-${i * 31}` }));
    expect(await pgStorage.enqueueDeliveries(held, opts)).toEqual(await reference.enqueueDeliveries(held, opts));
    const batch = mixedBatch();
    const results = await pgStorage.enqueueDeliveries(batch, opts);
    expect(results).toEqual(await reference.enqueueDeliveries(batch, opts));
    expect(results.filter((r) => r.created)).toHaveLength(2300 - held.length);
  });

  it("creates every delivery with a window of 0, the key pointing at the last one", async () => {
    const pgStorage = storage();
    const batch = [
      ...Array.from({ length: 1500 }, () => newDelivery({ idempotencyKey: "same" })),
      ...Array.from({ length: 700 }, () => newDelivery()),
    ];
    const results = await pgStorage.enqueueDeliveries(batch, { idempotencyWindowMs: 0 });
    expect(results).toEqual(batch.map((d) => ({ id: d.id, created: true })));
    const { rows } = await withClient((c) =>
      c.query(`SELECT delivery_id FROM "${pgStorage.schema}".idempotency_keys WHERE key = 'same'`),
    );
    expect(rows).toEqual([{ delivery_id: batch[1499]!.id }]);
  });

  it("stores identities exactly, whatever characters they hold, and purges by each", async () => {
    const pgStorage = storage();
    const odd = ['quote"d', "back\\slash", "{brace,comma}", "NULL", "", "  spaced  ", "é🙂"];
    const none = newDelivery({ identities: [] });
    const many = newDelivery({ identities: odd });
    await pgStorage.enqueueDeliveries([none, many], opts);
    expect((await pgStorage.getDelivery(none.id))!.identities).toEqual([]);
    expect((await pgStorage.getDelivery(many.id))!.identities).toEqual(odd);
    expect(await pgStorage.purgeDeliveries({ identity: "NULL" })).toBe(1);
    expect(await pgStorage.getDelivery(many.id)).toBeUndefined();
  });

  it("stores a lone surrogate as U+FFFD, as a text parameter always did, keys included", async () => {
    const pgStorage = storage();
    const d = newDelivery({ idempotencyKey: "k\ud800", identities: ["id\udc00"], body: '{"a":"x\ud800y"}' });
    const twin = newDelivery({ idempotencyKey: "k\udfff" });
    expect(await pgStorage.enqueueDeliveries([d, twin], opts)).toEqual([
      { id: d.id, created: true },
      { id: d.id, created: false },
    ]);
    expect(await pgStorage.getDelivery(d.id)).toMatchObject({
      idempotencyKey: "k\ufffd",
      identities: ["id\ufffd"],
      body: '{"a":"x\ufffdy"}',
    });
  });

  it("sends a few statements per batch, not per delivery, through the caller's transaction", async () => {
    const pgStorage = storage();
    await pgStorage.enqueueDeliveries([newDelivery()], opts); // migrates
    const batch = Array.from({ length: 2500 }, () => newDelivery());
    const count = async () =>
      (await withClient((c) => c.query(`SELECT count(*)::int AS n FROM "${pgStorage.schema}".deliveries`))).rows[0].n;
    await withClient(async (client) => {
      let statements = 0;
      const tx = {
        query: (...args: Parameters<pg.Client["query"]>) => {
          statements++;
          return (client.query as (...a: unknown[]) => unknown)(...args);
        },
      };
      await client.query("BEGIN");
      const results = await pgStorage.enqueueDeliveries(batch, { ...opts, tx });
      expect(results.every((r) => r.created)).toBe(true);
      expect(statements).toBeLessThan(10);
      expect(await count()).toBe(1);
      await client.query("COMMIT");
    });
    expect(await count()).toBe(2501);
  });

  it("creates each key once when two publishers on separate pools enqueue overlapping batches at once", async () => {
    const schema = uniqueSchema();
    const [a, b] = [storage(schema), storage(schema)];
    await a.enqueueDeliveries([newDelivery()], opts); // migrates before the race
    for (let round = 0; round < 3; round++) {
      const keys = Array.from({ length: 3000 }, (_, i) => `r${round}-${i}`);
      const up = keys.slice(0, 2000).map((idempotencyKey) => newDelivery({ idempotencyKey }));
      const down = keys
        .slice(1000)
        .reverse()
        .map((idempotencyKey) => newDelivery({ idempotencyKey }));
      const [ra, rb] = await Promise.all([a.enqueueDeliveries(up, opts), b.enqueueDeliveries(down, opts)]);
      const owner = new Map<string, string>();
      for (const [batch, results] of [
        [up, ra],
        [down, rb],
      ] as const) {
        results.forEach((r, i) => {
          if (r.created) owner.set(batch[i]!.idempotencyKey, r.id);
        });
      }
      expect(ra.filter((r) => r.created).length + rb.filter((r) => r.created).length).toBe(3000);
      expect(ra.map((r) => r.id)).toEqual(up.map((d) => owner.get(d.idempotencyKey)));
      expect(rb.map((r) => r.id)).toEqual(down.map((d) => owner.get(d.idempotencyKey)));
    }
    const { rows } = await withClient((c) => c.query(`SELECT count(*)::int AS n FROM "${schema}".deliveries`));
    expect(rows[0].n).toBe(1 + 3 * 3000);
  });
});
