import { validationError } from '@vectorkit/core'
import pg from 'pg'
import { POSTGRES_DEFAULTS, type PostgresStoreOptions, SCHEMA_NAME_PATTERN } from './options'

/**
 * Options with defaults filled in and every value checked.
 *
 * @example
 * ```ts
 * const o: ResolvedOptions = resolveOptions({ connectionString })
 * ```
 */
export interface ResolvedOptions {
  source: 'connectionString' | 'pool' | 'kysely'
  schema: string
  statementTimeoutMs: number
  queryTimeoutMs: number
  connectionTimeoutMs: number
  maxConnections: number
  purgeIntervalMs: number
  maxScanTuples: number
  transactionPooler: boolean
  ingest: 'copy' | 'unnest' | undefined
}

function nonNegativeInt(v: unknown, name: string, fallback: number): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw validationError(`${name} must be a non-negative integer (ms), got ${String(v)}`)
  return v
}

/**
 * Checks {@link PostgresStoreOptions} and fills in {@link POSTGRES_DEFAULTS}. Fails fast with
 * messages that name the option.
 *
 * @example
 * ```ts
 * resolveOptions({ connectionString: url, statementTimeoutMs: -1 }) // throws VALIDATION naming statementTimeoutMs
 * ```
 */
export function resolveOptions(options: PostgresStoreOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object')
    throw validationError('PostgresStore options must be an object')
  const given = (['connectionString', 'pool', 'kysely'] as const).filter((k) => options[k] !== undefined)
  if (given.length !== 1)
    throw validationError(
      `give exactly one of connectionString, pool or kysely${given.length ? ` (got ${given.join(' and ')})` : ''}`,
    )
  if (
    options.connectionString !== undefined &&
    (typeof options.connectionString !== 'string' || !options.connectionString)
  )
    throw validationError('connectionString must be a non-empty string')
  const schema = options.schema ?? POSTGRES_DEFAULTS.schema
  if (typeof schema !== 'string' || !SCHEMA_NAME_PATTERN.test(schema))
    throw validationError(
      `schema must match ${SCHEMA_NAME_PATTERN} (lowercase, at most 63 bytes), got ${JSON.stringify(schema)}`,
    )
  if (options.ingest !== undefined && options.ingest !== 'copy' && options.ingest !== 'unnest')
    throw validationError(`ingest must be "copy" or "unnest", got ${JSON.stringify(options.ingest)}`)
  const maxConnections = nonNegativeInt(
    options.maxConnections,
    'maxConnections',
    POSTGRES_DEFAULTS.maxConnections,
  )
  if (maxConnections < 1) throw validationError('maxConnections must be at least 1')
  return {
    source: given[0]!,
    schema,
    statementTimeoutMs: nonNegativeInt(
      options.statementTimeoutMs,
      'statementTimeoutMs',
      POSTGRES_DEFAULTS.statementTimeoutMs,
    ),
    queryTimeoutMs: nonNegativeInt(
      options.queryTimeoutMs,
      'queryTimeoutMs',
      POSTGRES_DEFAULTS.queryTimeoutMs,
    ),
    connectionTimeoutMs: nonNegativeInt(
      options.connectionTimeoutMs,
      'connectionTimeoutMs',
      POSTGRES_DEFAULTS.connectionTimeoutMs,
    ),
    maxConnections,
    purgeIntervalMs: nonNegativeInt(
      options.purgeIntervalMs,
      'purgeIntervalMs',
      POSTGRES_DEFAULTS.purgeIntervalMs,
    ),
    maxScanTuples: nonNegativeInt(options.maxScanTuples, 'maxScanTuples', POSTGRES_DEFAULTS.maxScanTuples),
    transactionPooler: options.transactionPooler === true,
    ingest: options.ingest,
  }
}

/**
 * The last error an owned pool reported for an idle client (shown in `health()`).
 *
 * @example
 * ```ts
 * const sink: PoolErrorSink = { lastIdleError: undefined }
 * ```
 */
export interface PoolErrorSink {
  lastIdleError: Error | undefined
}

/**
 * Creates the pool vectorkit owns for a connection string: keep-alive on, bounded connect and
 * query time, `statement_timeout` as a startup parameter (except behind transaction poolers,
 * which reject it), and an `'error'` listener so an idle client dying (server restart,
 * `pg_terminate_backend`) never becomes an uncaught exception.
 *
 * @example
 * ```ts
 * const pool = createOwnedPool(url, resolveOptions({ connectionString: url }), sink)
 * ```
 */
export function createOwnedPool(connectionString: string, o: ResolvedOptions, sink: PoolErrorSink): pg.Pool {
  const config: pg.PoolConfig = {
    connectionString,
    max: o.maxConnections,
    connectionTimeoutMillis: o.connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'vectorkit',
  }
  if (o.queryTimeoutMs > 0) config.query_timeout = o.queryTimeoutMs
  if (o.statementTimeoutMs > 0 && !o.transactionPooler) config.statement_timeout = o.statementTimeoutMs
  const pool = new pg.Pool(config)
  pool.on('error', (err) => {
    sink.lastIdleError = err
  })
  return pool
}
