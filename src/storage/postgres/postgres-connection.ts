import pg from "pg";
import { ConfigValidationError, InvalidStateError } from "../../errors.js";
import { inTransaction } from "./postgres-checkout.js";
import { toPgStorageError } from "./postgres-error.js";
import { migrateSchema } from "./postgres-migrations.js";
import { DEFAULT_SCHEMA, quoteSchema } from "./postgres-schema-name.js";
import { type PgStatement, pgStatement } from "./postgres-statement.js";

/** Options of `postgresStorage` and `migrate`. Give exactly one of `pool` and `connectionString`. */
export interface PostgresStorageOptions {
  /** A pool you own: the storage borrows clients and never ends it. Handle its `error` event yourself. */
  pool?: pg.Pool;
  /** `postgres://user:password@host:port/database`: the storage creates (and on `close`, ends) its own pool. */
  connectionString?: string;
  /**
   * The schema holding the tables; created by the migrations. Lower-case letters, digits and `_`.
   * @default "feedback_webhooks"
   */
  schema?: string;
  /**
   * Size of the pool created from `connectionString` (ignored with `pool`).
   * @default 10
   */
  poolSize?: number;
  /**
   * Run the hot statements (claim, settle, lease renewal, endpoint states) as named prepared
   * statements, parsed and planned once per connection: about a quarter less PostgreSQL CPU per
   * delivery. Turn it off behind a pooler that cannot keep prepared statements across
   * transactions (PgBouncer before 1.21, or without `max_prepared_statements`, in transaction
   * pooling mode).
   * @default true
   */
  preparedStatements?: boolean;
}

/** A `pg` client or pool: anything that runs a query. */
export type Queryable = Pick<pg.ClientBase, "query">;

function passwordOf(connectionString: string | undefined): string[] {
  if (connectionString === undefined) return [];
  try {
    return [decodeURIComponent(new URL(connectionString).password)];
  } catch {
    return [];
  }
}

/**
 * The pool, the schema and the error handling shared by every query of the PostgreSQL storage.
 * Migrates the schema before the first query (once it succeeded; a failed try is retried by the
 * next call, so a storage created while the database is down starts working when it is back).
 *
 * @example
 * ```ts
 * const connection = new PgConnection({ connectionString: process.env.DATABASE_URL });
 * const rows = await connection.query("count", `SELECT count(*) FROM ${connection.schema}.deliveries`);
 * ```
 */
export class PgConnection {
  /** The quoted schema name, safe to splice into SQL. */
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly #owned: boolean;
  readonly #secrets: string[];
  readonly #statements = new Map<string, PgStatement | string>();
  readonly #prepared: boolean;
  #ready: Promise<unknown> | undefined;
  #closed = false;

  constructor(options: PostgresStorageOptions) {
    const { pool, connectionString, poolSize = 10 } = options;
    if ((pool === undefined) === (connectionString === undefined)) {
      throw new ConfigValidationError([{ path: "pool", message: "give exactly one of pool and connectionString" }], {
        what: "Invalid postgresStorage options",
      });
    }
    this.schema = quoteSchema(options.schema ?? DEFAULT_SCHEMA);
    this.#prepared = options.preparedStatements !== false;
    this.#owned = pool === undefined;
    this.#secrets = passwordOf(connectionString);
    this.pool =
      pool ??
      new pg.Pool({
        connectionString,
        max: poolSize,
        application_name: "feedback-webhooks",
        // Fail a call after 10 s instead of waiting forever for a database that does not answer.
        connectionTimeoutMillis: 10_000,
      });
    // An idle client whose server went away emits `error` on the pool; unhandled it would crash
    // the process. The next query reports the outage as a StorageError, so nothing is lost here.
    if (this.#owned) this.pool.on("error", () => {});
  }

  /**
   * The hot-path statement `key` of this schema, run prepared (see {@link PgStatement}) unless
   * `preparedStatements` is off (then its plain text); `build` makes its text once.
   */
  statement(key: string, build: (schema: string) => string): PgStatement | string {
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      const text = build(this.schema);
      statement = this.#prepared ? pgStatement(this.schema, key, text) : text;
      this.#statements.set(key, statement);
    }
    return statement;
  }

  /** Wraps a driver error: `StorageError` with the password redacted. */
  wrap(what: string, error: unknown): Error {
    return toPgStorageError(what, error, this.#secrets);
  }

  /** Runs one statement (its own transaction) after the schema is ready; a {@link PgStatement} runs prepared. */
  async query<R extends pg.QueryResultRow>(
    what: string,
    sql: string | PgStatement,
    params: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    try {
      await this.#migrated();
      return await this.pool.query<R>(sql, params);
    } catch (error) {
      throw this.wrap(what, error);
    }
  }

  /**
   * Runs `fn` in one transaction on one client: committed when it resolves, rolled back when it
   * throws. With `tx` (the caller's client inside `BEGIN`: the transactional outbox) it runs
   * inside a savepoint of the caller's transaction instead and commits nothing: a failure rolls
   * back only our statements, and the caller's own commit or rollback decides for both.
   */
  async transaction<T>(what: string, fn: (client: Queryable) => Promise<T>, tx?: unknown): Promise<T> {
    try {
      await this.#migrated();
      if (tx !== undefined) return await this.#inSavepoint(tx, fn);
      return await inTransaction(this.pool, fn);
    } catch (error) {
      throw this.wrap(what, error);
    }
  }

  /**
   * Runs `fn` in a transaction of its own whose BEGIN carries `settings` (`SET LOCAL …;`
   * statements) in the same round trip. Never inside a caller's transaction: a `SET LOCAL` would
   * outlive our savepoint and change the rest of the caller's transaction.
   */
  async transactionWith<T>(what: string, settings: string, fn: (client: Queryable) => Promise<T>): Promise<T> {
    try {
      await this.#migrated();
      return await inTransaction(this.pool, fn, settings);
    } catch (error) {
      throw this.wrap(what, error);
    }
  }

  /** Migrates (see `migrateSchema`) and returns the versions; used by `migrate()`. */
  migrate(): Promise<{ from: number; to: number }> {
    return migrateSchema(this.pool, this.schema).catch((error: unknown) => {
      throw this.wrap("migrate", error);
    });
  }

  /** Ends the pool when this connection created it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#owned) return;
    try {
      await this.pool.end();
    } catch (error) {
      throw this.wrap("close", error);
    }
  }

  #migrated(): Promise<unknown> {
    this.#ready ??= migrateSchema(this.pool, this.schema).catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #inSavepoint<T>(tx: unknown, fn: (client: Queryable) => Promise<T>): Promise<T> {
    if (typeof (tx as Queryable | null)?.query !== "function") {
      throw new InvalidStateError("options.tx must be a pg Client or PoolClient on which you ran BEGIN.");
    }
    const client = tx as Queryable;
    try {
      await client.query("SAVEPOINT feedback_webhooks");
    } catch (error) {
      // 25P01 no_active_sql_transaction: autocommit would break "commits with your data".
      if ((error as { code?: string }).code === "25P01") {
        throw new InvalidStateError("options.tx must be inside a transaction: run BEGIN on it first.");
      }
      throw error;
    }
    try {
      const result = await fn(client);
      await client.query("RELEASE SAVEPOINT feedback_webhooks");
      return result;
    } catch (error) {
      await client.query("ROLLBACK TO SAVEPOINT feedback_webhooks").catch(() => {});
      throw error;
    }
  }
}
