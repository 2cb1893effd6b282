import type { EnqueueResult, NewDelivery } from "../storage.js";
import type { Queryable } from "./postgres-connection.js";

/**
 * Deliveries per statement. A statement's rows travel as one JSON parameter, so there is no
 * bind-parameter limit; this bounds the size of that parameter and the server's work per round trip.
 */
const CHUNK_ROWS = 1000;

const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;

/**
 * `text` as PostgreSQL stores it: a text parameter goes out as UTF-8, which turns a lone
 * surrogate into U+FFFD, whereas JSON would escape it and PostgreSQL reject the escape.
 */
const asStored = (text: string) => (LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, "\uFFFD") : text);

/** A delivery with exactly the port's fields, each as it will be stored (see {@link asStored}). */
function stored(d: NewDelivery): NewDelivery {
  return {
    id: asStored(d.id),
    configId: asStored(d.configId),
    orgId: asStored(d.orgId),
    sandboxName: asStored(d.sandboxName),
    requestId: asStored(d.requestId),
    idempotencyKey: asStored(d.idempotencyKey),
    identities: d.identities.map(asStored),
    body: asStored(d.body),
  };
}

/**
 * Inserts `creators` and takes their keys, in one statement: a key is taken when it is free or
 * expired, and only the deliveries whose key was taken are inserted. Returns the keys taken.
 * Keys are written in the given order (the caller sorts them): two batches with overlapping keys
 * lock them in the same order, so they wait for each other instead of deadlocking.
 */
async function takeKeysAndInsert(
  client: Queryable,
  s: string,
  creators: readonly NewDelivery[],
  windowMs: number,
): Promise<Set<string>> {
  // With several creators of one key (no window) the key ends on the last, as one upsert per
  // delivery would leave it; one statement may not update a row twice, so it gets one row per key.
  const owners = new Map<string, string>();
  for (const d of creators) owners.set(d.idempotencyKey, d.id);
  const { rows } = await client.query<{ key: string }>(
    `WITH taken AS (
       INSERT INTO ${s}.idempotency_keys AS k (key, delivery_id, expires_at)
       SELECT key, delivery_id, now() + $3::float8 * interval '1 millisecond'
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (key, delivery_id, n)
       ORDER BY n
       ON CONFLICT (key) DO UPDATE SET delivery_id = EXCLUDED.delivery_id, expires_at = EXCLUDED.expires_at
       WHERE k.expires_at <= now()
       RETURNING key
     )
     INSERT INTO ${s}.deliveries (id, config_id, org_id, sandbox_name, request_id, idempotency_key, identities,
       body, status, created_at, updated_at, available_at, round_started_at)
     SELECT id, "configId", "orgId", "sandboxName", "requestId", "idempotencyKey", identities,
       body, 'pending', now(), now(), now(), now()
     FROM json_to_recordset($4::json) AS d (id text, "configId" text, "orgId" text, "sandboxName" text,
       "requestId" text, "idempotencyKey" text, identities text[], body text)
     WHERE "idempotencyKey" IN (SELECT key FROM taken)
     RETURNING idempotency_key AS key`,
    // JSON.stringify is native: an order of magnitude cheaper than pg's escaping of text[] elements.
    [[...owners.keys()], [...owners.values()], windowMs, JSON.stringify(creators)],
  );
  return new Set(rows.map((r) => r.key));
}

/**
 * The deliveries holding `keys`, which the upsert found held. A statement of its own, so that it
 * sees a key that a concurrent publisher committed while the upsert waited for it. Every key is
 * still there: ON CONFLICT DO UPDATE locked the rows its WHERE skipped, so nobody deleted them.
 */
async function heldKeys(client: Queryable, s: string, keys: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await client.query<{ key: string; delivery_id: string }>(
    `SELECT key, delivery_id FROM ${s}.idempotency_keys WHERE key = ANY($1::text[])`,
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r.delivery_id]));
}

/**
 * Enqueues `deliveries` on `client` (inside a transaction the caller opened) with a constant
 * number of statements per {@link CHUNK_ROWS} deliveries: one that takes the free or expired
 * keys and inserts their deliveries, and one that reads the holders of the other keys when
 * there are any. The results are those of one upsert per delivery in input order: within the
 * window, the first delivery of a key creates and the later ones get its id; with a window ≤ 0
 * every delivery creates and the key points at the last. A key's primary key decides races
 * between publishers (the second waits for the first to commit, then finds the key held);
 * the batch takes its keys in key order so that overlapping batches never deadlock.
 *
 * @example
 * ```ts
 * const results = await enqueueOn(client, '"feedback_webhooks"', [delivery], 86_400_000);
 * ```
 */
export async function enqueueOn(
  client: Queryable,
  s: string,
  deliveries: readonly NewDelivery[],
  windowMs: number,
): Promise<EnqueueResult[]> {
  const rows = deliveries.map(stored);
  const first = new Map<string, number>();
  const creators: number[] = [];
  rows.forEach((d, i) => {
    if (!first.has(d.idempotencyKey)) first.set(d.idempotencyKey, i);
    else if (windowMs > 0) return;
    creators.push(i);
  });
  // Stable: the creators of one key stay in input order.
  const keyOf = (i: number) => rows[i]!.idempotencyKey;
  creators.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const results: EnqueueResult[] = new Array(rows.length);
  for (let start = 0; start < creators.length; start += CHUNK_ROWS) {
    const chunk = creators.slice(start, start + CHUNK_ROWS);
    const taken = await takeKeysAndInsert(
      client,
      s,
      chunk.map((i) => rows[i]!),
      windowMs,
    );
    const notTaken = [...new Set(chunk.map(keyOf))].filter((key) => !taken.has(key));
    const held = notTaken.length > 0 ? await heldKeys(client, s, notTaken) : new Map<string, string>();
    for (const i of chunk) {
      const key = keyOf(i);
      results[i] = taken.has(key) ? { id: deliveries[i]!.id, created: true } : { id: held.get(key)!, created: false };
    }
  }
  // Later deliveries of a key within the window: the outcome of its first one, never created.
  rows.forEach((d, i) => {
    results[i] ??= { id: results[first.get(d.idempotencyKey)!]!.id, created: false };
  });
  return results;
}
