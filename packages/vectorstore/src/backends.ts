import { type VectorStore, VectorStoreError, validationError } from '@vectorkit/core'
import type { MemoryStoreOptions } from '@vectorkit/memory'
import type { PostgresStoreOptions } from '@vectorkit/postgres'
import { redactUrl } from './store-url'

/**
 * Opens the memory backend. The module is imported on first use only, so an app that never
 * selects it never loads it (and the other way round for Postgres and `pg`).
 *
 * @example
 * ```ts
 * const store = await openMemory({}, './data')
 * ```
 */
export async function openMemory(
  options: MemoryStoreOptions,
  path: string | undefined,
): Promise<VectorStore> {
  const { MemoryStore } = await import('@vectorkit/memory')
  // `path` belongs to the persistence layer of the memory backend; it is passed through as is.
  const withPath = path === undefined ? options : ({ ...options, path } as MemoryStoreOptions)
  return MemoryStore.open(withPath)
}

/**
 * Opens the PostgreSQL backend (lazily imported, see {@link openMemory}).
 *
 * @example
 * ```ts
 * const store = await openPostgres({ schema: 'vk' }, 'postgres://app@db/app')
 * ```
 */
export async function openPostgres(
  options: PostgresStoreOptions | undefined,
  databaseUrl: string | undefined,
): Promise<VectorStore> {
  const opts: PostgresStoreOptions = { ...options }
  if (databaseUrl !== undefined && opts.connectionString === undefined && !opts.pool && !opts.kysely)
    opts.connectionString = databaseUrl
  if (opts.connectionString === undefined && !opts.pool && !opts.kysely)
    throw validationError(
      'the postgres backend needs a connection: set VECTORKIT_DATABASE_URL (or DATABASE_URL), or pass databaseUrl or postgres.pool',
    )
  const { PostgresStore } = await import('@vectorkit/postgres')
  try {
    return await PostgresStore.connect(opts)
  } catch (err) {
    if (err instanceof VectorStoreError) throw err
    const where = opts.connectionString ? ` at ${redactUrl(opts.connectionString)}` : ''
    throw new VectorStoreError('CONNECTION', `cannot connect to PostgreSQL${where}`, { cause: err })
  }
}
