import type { Metadata, ResolvedCollectionSpec, VectorRecord } from '@vectorkit/core'
import { validationError } from '@vectorkit/core'
import { sql } from 'kysely'
import { createHnswIndexStatement } from './collection-ddl'
import type { CollectionEntry, StoreContext } from './store-context'
import { indexNamesFor } from './table-names'

/**
 * Options of {@link PostgresCollection.bulkLoad}.
 *
 * @example
 * ```ts
 * await docs.bulkLoad(batches, { maxMaintenanceWorkMemMb: 2048, parallelWorkers: 4 })
 * ```
 */
export interface BulkLoadOptions {
  /** Upper bound of the `maintenance_work_mem` given to the index build. Default 1,024 MB. */
  maxMaintenanceWorkMemMb?: number
  /** `max_parallel_maintenance_workers` for the index build. Default 2. */
  parallelWorkers?: number
}

/**
 * What {@link PostgresCollection.bulkLoad} did.
 *
 * @example
 * ```ts
 * const { rows, indexMs, maintenanceWorkMemMb } = await docs.bulkLoad(batches)
 * ```
 */
export interface BulkLoadResult {
  /** Records received (before last-wins de-duplication inside each batch). */
  rows: number
  /** Milliseconds spent building the HNSW index (0 for exact collections). */
  indexMs: number
  /** The `maintenance_work_mem` used for the build, in MB. */
  maintenanceWorkMemMb: number
}

/**
 * Memory an HNSW build wants to keep the whole graph in `maintenance_work_mem` (pgvector switches
 * to a much slower on-disk build when it runs out): the vector, the neighbour lists of layer 0
 * (2·m) and of upper layers, and per-element overhead, with 30% headroom.
 *
 * @example
 * ```ts
 * hnswBuildMemoryMb(100_000, 768, 16, false) // ≈ 440 (MB)
 * ```
 */
export function hnswBuildMemoryMb(rows: number, dimensions: number, m: number, halfvec: boolean): number {
  const vectorBytes = dimensions * (halfvec ? 2 : 4) + 8
  const perElement = vectorBytes + 2 * m * 10 + m * 10 + 100
  return Math.ceil((rows * perElement * 1.3) / (1024 * 1024))
}

/**
 * The implementation of {@link PostgresCollection.bulkLoad}: drop the HNSW index, upsert every
 * batch, build the index once with sized memory and parallel workers.
 *
 * @example
 * ```ts
 * await bulkLoad(ctx, entry, spec, (r) => collection.upsert(r), batches, { parallelWorkers: 4 })
 * ```
 */
export async function bulkLoad<M extends Metadata>(
  ctx: StoreContext,
  entry: CollectionEntry,
  spec: ResolvedCollectionSpec,
  upsert: (records: VectorRecord<M>[]) => Promise<void>,
  batches: Iterable<VectorRecord<M>[]> | AsyncIterable<VectorRecord<M>[]>,
  options: BulkLoadOptions = {},
): Promise<BulkLoadResult> {
  const maxMb = options.maxMaintenanceWorkMemMb ?? 1024
  const workers = options.parallelWorkers ?? 2
  if (!Number.isInteger(maxMb) || maxMb < 1)
    throw validationError('maxMaintenanceWorkMemMb must be a positive integer')
  if (!Number.isInteger(workers) || workers < 0 || workers > 64)
    throw validationError('parallelWorkers must be an integer from 0 to 64')
  const hnsw = indexNamesFor(entry.table).hnsw
  if (spec.index.type === 'hnsw') {
    await ctx.track(() =>
      ctx.executor.transaction('bulk load', {}, (s) =>
        s.query(sql`drop index if exists ${sql.id(ctx.schema, hnsw)}`),
      ),
    )
  }
  let rows = 0
  for await (const batch of batches) {
    await upsert(batch)
    rows += batch.length
  }
  if (spec.index.type !== 'hnsw') {
    await analyze(ctx, entry)
    return { rows, indexMs: 0, maintenanceWorkMemMb: 0 }
  }
  const { rows: live } = await ctx.track(() =>
    ctx.executor.session('bulk load', (s) =>
      s.query<{ n: number }>(sql`select count(*)::float8 as n from ${sql.id(ctx.schema, entry.table)}`),
    ),
  )
  const need = hnswBuildMemoryMb(
    Number(live[0]?.n ?? rows),
    spec.dimensions,
    spec.index.m,
    entry.storage === 'halfvec',
  )
  const mb = Math.max(64, Math.min(maxMb, need))
  const started = performance.now()
  await ctx.track(() =>
    ctx.executor.transaction(
      'build index',
      {
        statement_timeout: '0',
        maintenance_work_mem: `${mb}MB`,
        max_parallel_maintenance_workers: String(workers),
      },
      (s) =>
        s.query(createHnswIndexStatement(ctx.schema, entry.table, spec, entry.storage)!, 'build index', {
          unbounded: true,
        }),
    ),
  )
  const indexMs = performance.now() - started
  await analyze(ctx, entry)
  return { rows, indexMs, maintenanceWorkMemMb: mb }
}

/** Fresh statistics let the planner weigh the GIN index against the HNSW graph for filters. */
function analyze(ctx: StoreContext, entry: CollectionEntry): Promise<unknown> {
  return ctx.track(() =>
    ctx.executor.transaction('bulk load', { statement_timeout: '0' }, (s) =>
      s.query(sql`analyze ${sql.id(ctx.schema, entry.table)}`, 'analyze', { unbounded: true }),
    ),
  )
}
