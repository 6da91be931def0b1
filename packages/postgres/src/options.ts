import type { Kysely } from 'kysely'

/**
 * The result of one query, as `pg` returns it (only the fields vectorkit reads).
 */
export interface PgQueryResultLike<R = Record<string, unknown>> {
  rows: R[]
  rowCount: number | null
}

/**
 * The subset of `pg.PoolClient` vectorkit needs. A real `pg` client satisfies it; so does any
 * driver with the same shape. `query` also accepts `pg` "submittables" (objects with a
 * `submit` method), which is how the binary `COPY` path talks to the wire protocol.
 *
 * @example
 * ```ts
 * const client: PgPoolClientLike = await pool.connect()
 * await client.query('select 1')
 * client.release()
 * ```
 */
export interface PgPoolClientLike {
  query(text: string, values?: unknown[]): Promise<PgQueryResultLike<Record<string, unknown>>>
  /** Config form, used for statements that must outlive pg's `query_timeout` (index builds). */
  query(config: {
    text: string
    values?: unknown[]
    query_timeout?: number
  }): Promise<PgQueryResultLike<Record<string, unknown>>>
  /** `release(err)` with an error destroys the connection instead of returning it to the pool. */
  release(err?: Error | boolean): void
}

/**
 * The subset of `pg.Pool` vectorkit needs, declared structurally (as kysely's
 * `PostgresPool` does) so `pg`'s types never leak into your code. Counts are optional; when
 * present they show up in `health()`.
 *
 * @example
 * ```ts
 * import pg from 'pg'
 * const pool: PgPoolLike = new pg.Pool({ connectionString })
 * const store = await PostgresStore.connect({ pool }) // we never call pool.end()
 * ```
 */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>
  end(): Promise<void>
  readonly totalCount?: number
  readonly idleCount?: number
  readonly waitingCount?: number
  /** `pg.Pool` keeps its settings here; `max` (the pool size) lets monitors compute pool usage. */
  readonly options?: { readonly max?: number }
}

/**
 * Options of {@link PostgresStore.connect}. Give exactly one of `connectionString`, `pool` or
 * `kysely`.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.connect({
 *   connectionString: 'postgres://app@db/app',
 *   schema: 'vectorkit',
 *   statementTimeoutMs: 30_000,
 *   listenConnectionString: 'postgres://app@db-direct/app', // enables subscribeChanges
 * })
 * ```
 */
export interface PostgresStoreOptions {
  /** A libpq-style URL. vectorkit creates the pool, owns it, and ends it in `close()`. */
  connectionString?: string
  /** A pool you own. vectorkit borrows connections and never ends it. */
  pool?: PgPoolLike
  /**
   * A Kysely instance you own (PostgreSQL dialect). vectorkit runs its SQL through it and never
   * destroys it. Bulk upserts then use a multi-row `unnest` insert instead of binary `COPY`,
   * because Kysely does not expose the raw connection.
   */
  // biome-ignore lint/suspicious/noExplicitAny: a Kysely of any database type runs raw SQL the same way
  kysely?: Kysely<any>
  /**
   * Schema holding the registry and the collection tables. Default `vectorkit` (created when
   * missing), so vectorkit's tables never mix with yours. Must match `^[a-z_][a-z0-9_]{0,62}$`.
   */
  schema?: string
  /**
   * A direct (session) connection string used only for LISTEN. When set,
   * `capabilities.changeNotifications` is true and `subscribeChanges` is available. Point it
   * past transaction-mode poolers (PgBouncer, Supavisor): LISTEN needs a session.
   */
  listenConnectionString?: string
  /**
   * Server-side limit per statement, applied with `SET LOCAL` inside every transaction vectorkit
   * opens, and as a startup parameter on pools vectorkit owns (unless `transactionPooler`).
   * Index builds lift it. Default 30,000 ms; 0 disables.
   */
  statementTimeoutMs?: number
  /** Client-side limit per query on pools vectorkit owns (pg `query_timeout`). Default 60,000 ms; 0 disables. */
  queryTimeoutMs?: number
  /** Limit on opening a connection on pools vectorkit owns. Default 10,000 ms. */
  connectionTimeoutMs?: number
  /** Size of the pool vectorkit owns. Default 10. */
  maxConnections?: number
  /**
   * Set when `connectionString` points at a transaction-mode pooler: vectorkit then sends no
   * session-level startup parameters (PgBouncer rejects them) and relies on `SET LOCAL` only.
   * Default false.
   */
  transactionPooler?: boolean
  /** How upserts reach the server. Default `copy` (binary COPY) when a pg pool is available, else `unnest`. */
  ingest?: 'copy' | 'unnest'
  /**
   * Interval of the background purge of expired records, in ms. Expired records are invisible
   * at once either way; the purge only reclaims space. Default 60,000; 0 disables.
   */
  purgeIntervalMs?: number
  /**
   * Filtered HNSW searches first run pgvector's iterative index scan; when it returns fewer than
   * k rows, an exact scan answers instead, so k rows come back whenever k rows match.
   * This caps the tuples the iterative scan may visit (`hnsw.max_scan_tuples`). Default 20,000.
   */
  maxScanTuples?: number
}

/** Defaults of {@link PostgresStoreOptions}. */
export const POSTGRES_DEFAULTS = {
  schema: 'vectorkit',
  statementTimeoutMs: 30_000,
  queryTimeoutMs: 60_000,
  connectionTimeoutMs: 10_000,
  maxConnections: 10,
  purgeIntervalMs: 60_000,
  maxScanTuples: 20_000,
} as const

/** The pattern of schema names accepted by {@link PostgresStoreOptions.schema}. */
export const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/
