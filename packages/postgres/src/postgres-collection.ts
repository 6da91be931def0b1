import {
  type Collection,
  type CollectionStats,
  type Filter,
  type FilterNode,
  type Metadata,
  parseFilter,
  type ResolvedCollectionSpec,
  type ScanOptions,
  type SearchHit,
  type SearchOptions,
  type ValidSearchOptions,
  type VectorRecord,
  validateDeleteTarget,
  validateIds,
  validateRecords,
  validateScan,
  validateSearch,
} from '@vectorkit/core'
import { sql } from 'kysely'
import { type BulkLoadOptions, type BulkLoadResult, bulkLoad } from './bulk-load'
import { filterToSql } from './filter-to-sql'
import { parseMetadata, parseVector, toHit } from './row-codec'
import { exactSearchSql, hnswSearchSql, LIVE, type SearchRow } from './search-sql'
import { collectionStats } from './stats'
import { type CollectionEntry, notifyChange, type StoreContext, txSettings } from './store-context'
import { lastWins, upsertViaCopy, upsertViaUnnest } from './upsert'

interface RecordRow {
  id: string
  embedding: string
  metadata: string | null
  expires_ms: number | null
}

function toRecord<M extends Metadata>(row: RecordRow): VectorRecord<M> {
  const r: VectorRecord<M> = { id: row.id, vector: parseVector(row.embedding) }
  const m = parseMetadata(row.metadata)
  if (m !== undefined) r.metadata = m as M
  if (row.expires_ms !== null) r.expiresAt = new Date(Math.round(Number(row.expires_ms)))
  return r
}

const RECORD_COLUMNS = sql`id, embedding::text as embedding, metadata::text as metadata,
  (extract(epoch from expires_at) * 1000)::float8 as expires_ms`

/**
 * A collection stored in one PostgreSQL table. Obtain it from {@link PostgresStore}; see the
 * package README for the table layout and how each operation maps to SQL.
 *
 * @example
 * ```ts
 * const docs = await store.createCollection('docs', { dimensions: 768, metric: 'cosine', index: { type: 'hnsw' } })
 * await docs.upsert(records)               // binary COPY + INSERT … ON CONFLICT, one transaction
 * const hits = await docs.search(q, { k: 10, filter: { lang: 'en' } })
 * ```
 */
export class PostgresCollection<M extends Metadata = Metadata> implements Collection<M> {
  readonly name: string
  readonly spec: ResolvedCollectionSpec
  /** The table holding this collection (inside the store's schema). */
  readonly table: string

  constructor(
    private readonly ctx: StoreContext,
    private readonly entry: CollectionEntry,
    spec: ResolvedCollectionSpec,
  ) {
    this.name = entry.name
    this.table = entry.table
    this.spec = spec
  }

  private get t() {
    return sql.id(this.ctx.schema, this.table)
  }

  async upsert(records: VectorRecord<M>[]): Promise<void> {
    const valid = lastWins(validateRecords(records, this.spec))
    await this.ctx.track(async () => {
      if (valid.length === 0) return
      await this.ctx.executor.transaction('upsert', txSettings(this.ctx), async (s) => {
        if (this.ctx.ingest === 'copy' && s.copyIn)
          await upsertViaCopy(s, this.ctx.schema, this.table, this.entry.storage, valid)
        else await upsertViaUnnest(s, this.ctx.schema, this.table, this.entry.storage, valid)
        await notifyChange(s, this.ctx, this.name, 'write')
      })
    })
  }

  async get(ids: string[]): Promise<VectorRecord<M>[]> {
    validateIds(ids)
    return this.ctx.track(async () => {
      if (ids.length === 0) return []
      const { rows } = await this.ctx.executor.session('get', (s) =>
        s.query<RecordRow>(
          sql`select ${RECORD_COLUMNS} from ${this.t} where id = any(${[...new Set(ids)]}::text[]) and ${LIVE}`,
        ),
      )
      const byId = new Map(rows.map((r) => [r.id, r]))
      const out: VectorRecord<M>[] = []
      for (const id of ids) {
        const row = byId.get(id)
        if (row) out.push(toRecord<M>(row))
      }
      return out
    })
  }

  async delete(target: string[] | { filter: Filter<M> }): Promise<number> {
    const t = validateDeleteTarget(target)
    return this.ctx.track(async () => {
      if ('ids' in t && t.ids.length === 0) return 0
      const where = 'ids' in t ? sql`id = any(${t.ids}::text[])` : filterToSql(t.filter)
      return this.ctx.executor.transaction('delete', txSettings(this.ctx), async (s) => {
        // Expired rows that match are removed too (they are garbage), but only live ones count.
        const { rows } = await s.query<{ n: number }>(
          sql`with gone as (delete from ${this.t} where ${where} returning expires_at)
            select (count(*) filter (where expires_at is null or expires_at > now()))::float8 as n from gone`,
        )
        const n = Number(rows[0]?.n ?? 0)
        if (n > 0) await notifyChange(s, this.ctx, this.name, 'write')
        return n
      })
    })
  }

  async search(query: ArrayLike<number>, options?: SearchOptions<M>): Promise<SearchHit<M>[]> {
    const { query: q, options: o } = validateSearch(query, options as SearchOptions | undefined, this.spec)
    return this.ctx.track(async () => {
      let rows: SearchRow[]
      if (this.spec.index.type === 'hnsw' && !o.exact) {
        rows = await this.hnswSearch(q, o, this.spec.index.efSearch)
        // The index (even iterating) may stop short under a selective filter; the exact plan
        // then answers, so k rows come back whenever k rows match.
        if (rows.length < o.k) rows = await this.exactSearch(q, o)
      } else {
        rows = await this.exactSearch(q, o)
      }
      const hits: SearchHit<M>[] = []
      for (const row of rows) {
        const hit = toHit<M>(this.spec.metric, row)
        if (o.minScore !== undefined && hit.score < o.minScore) continue
        hits.push(hit)
      }
      return hits
    })
  }

  private async hnswSearch(q: Float32Array, o: ValidSearchOptions, defaultEf: number): Promise<SearchRow[]> {
    const ef = Math.min(1000, Math.max(o.efSearch ?? defaultEf, o.k))
    const settings: Record<string, string> = { 'hnsw.ef_search': String(ef) }
    if (this.ctx.iterativeScan) {
      settings['hnsw.iterative_scan'] = 'relaxed_order'
      settings['hnsw.max_scan_tuples'] = String(this.ctx.maxScanTuples)
    }
    const { rows } = await this.ctx.executor.session('search', (s) =>
      s.query<SearchRow>(hnswSearchSql(this.ctx.schema, this.table, this.spec.metric, q, o, settings)),
    )
    return rows
  }

  private async exactSearch(q: Float32Array, o: ValidSearchOptions): Promise<SearchRow[]> {
    const statement = exactSearchSql(this.ctx.schema, this.table, this.spec.metric, q, o)
    // Without an HNSW index there is nothing to turn off at plan time: one statement suffices.
    if (this.spec.index.type === 'flat') {
      const { rows } = await this.ctx.executor.session('search', (s) => s.query<SearchRow>(statement))
      return rows
    }
    const settings = txSettings(this.ctx, { enable_indexscan: 'off' })
    const { rows } = await this.ctx.executor.transaction('search', settings, (s) =>
      s.query<SearchRow>(statement),
    )
    return rows
  }

  async count(filter?: Filter<M>): Promise<number> {
    const node = parseFilter(filter)
    return this.ctx.track(async () => {
      const { rows } = await this.ctx.executor.session('count', (s) =>
        s.query<{ n: number }>(
          sql`select count(*)::float8 as n from ${this.t} where ${LIVE} and ${filterToSql(node)}`,
        ),
      )
      return Number(rows[0]?.n ?? 0)
    })
  }

  async *scan(options?: ScanOptions<M>): AsyncIterable<VectorRecord<M>[]> {
    const { after, batchSize, filter } = validateScan(options as ScanOptions | undefined)
    let cursor = after
    for (;;) {
      const batch = await this.scanBatch(cursor, batchSize, filter)
      if (batch.length === 0) return
      cursor = batch[batch.length - 1]!.id
      yield batch
      if (batch.length < batchSize) return
    }
  }

  private scanBatch(
    after: string | undefined,
    batchSize: number,
    filter: FilterNode,
  ): Promise<VectorRecord<M>[]> {
    return this.ctx.track(async () => {
      const from = after === undefined ? sql`true` : sql`id > ${after}`
      const { rows } = await this.ctx.executor.session('scan', (s) =>
        s.query<RecordRow>(
          sql`select ${RECORD_COLUMNS} from ${this.t}
            where ${from} and ${LIVE} and ${filterToSql(filter)} order by id limit ${batchSize}`,
        ),
      )
      return rows.map((r) => toRecord<M>(r))
    })
  }

  async stats(): Promise<CollectionStats> {
    return this.ctx.track(() => collectionStats(this.ctx, this.entry, this.spec))
  }

  /**
   * Loads many batches fast: drops the HNSW index, upserts every batch through binary COPY, then
   * builds the index once with `maintenance_work_mem` sized from the data and parallel workers.
   * Not atomic across batches (each batch is); readers see exact (unindexed) results meanwhile.
   *
   * @example
   * ```ts
   * const { rows, indexMs } = await docs.bulkLoad(batchesOf(records, 1000))
   * ```
   */
  async bulkLoad(
    batches: Iterable<VectorRecord<M>[]> | AsyncIterable<VectorRecord<M>[]>,
    options?: BulkLoadOptions,
  ): Promise<BulkLoadResult> {
    return bulkLoad(this.ctx, this.entry, this.spec, (records) => this.upsert(records), batches, options)
  }
}
