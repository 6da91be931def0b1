import type { CollectionStats, ResolvedCollectionSpec } from '@vectorkit/core'
import { sql } from 'kysely'
import { LIVE } from './search-sql'
import type { CollectionEntry, StoreContext } from './store-context'
import { indexNamesFor } from './table-names'

interface StatsRow {
  n: number
  table_bytes: number
  index_bytes: number | null
  index_scans: number | null
  index_exists: boolean
}

/**
 * Row count, sizes and index usage of one collection. `details` carries the Postgres facts:
 * `table` (name), `tableBytes` (heap + TOAST + all indexes), `indexName`, `indexBytes`,
 * `indexScans` (from `pg_stat_user_indexes`; statistics arrive asynchronously, so counts lag
 * by up to the stats collector's delay), and `storage` (`vector` or `halfvec`).
 *
 * @example
 * ```ts
 * const { count, details } = await docs.stats() // details.indexScans, details.indexBytes
 * ```
 */
export async function collectionStats(
  ctx: StoreContext,
  entry: CollectionEntry,
  spec: ResolvedCollectionSpec,
): Promise<CollectionStats> {
  const indexName = spec.index.type === 'hnsw' ? indexNamesFor(entry.table).hnsw : undefined
  const { rows } = await ctx.executor.session('stats', (s) =>
    s.query<StatsRow>(sql`
      with rel as (
        select c.oid from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
        where ns.nspname = ${ctx.schema} and c.relname = ${entry.table}
      ), idx as (
        select c.oid from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
        where ns.nspname = ${ctx.schema} and c.relname = ${indexName ?? ''}
      )
      select
        (select count(*) from ${sql.id(ctx.schema, entry.table)} where ${LIVE})::float8 as n,
        (select pg_total_relation_size(oid) from rel)::float8 as table_bytes,
        (select pg_relation_size(oid) from idx)::float8 as index_bytes,
        (select idx_scan from pg_stat_user_indexes where indexrelid = (select oid from idx))::float8 as index_scans,
        exists (select 1 from idx) as index_exists`),
  )
  const r = rows[0]!
  return {
    name: entry.name,
    dimensions: spec.dimensions,
    metric: spec.metric,
    count: Number(r.n),
    index: spec.index,
    tombstones: 0,
    bytes: Number(r.table_bytes ?? 0),
    details: {
      table: entry.table,
      schema: ctx.schema,
      storage: entry.storage,
      tableBytes: Number(r.table_bytes ?? 0),
      indexName: indexName ?? null,
      indexExists: r.index_exists,
      indexBytes: r.index_bytes === null ? 0 : Number(r.index_bytes),
      indexScans: r.index_scans === null ? 0 : Number(r.index_scans),
    },
  }
}
