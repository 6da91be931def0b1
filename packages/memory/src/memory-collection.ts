import {
  type Collection,
  type CollectionStats,
  type Filter,
  type Metadata,
  parseFilter,
  type ResolvedCollectionSpec,
  type ScanOptions,
  type SearchHit,
  type SearchOptions,
  scoreFromDistance,
  type VectorRecord,
  validateDeleteTarget,
  validateIds,
  validateRecords,
  validateScan,
  validateSearch,
} from '@vectorkit/core'
import type { CollectionState } from './collection-state'

/**
 * What a collection handle needs from its store (kept narrow so the store stays the only writer).
 *
 * @example
 * ```ts
 * new MemoryCollection(host, state) // host: the store's private write path and clock
 * ```
 */
export interface CollectionHost {
  /** The live state of `name`, or throws `CLOSED` / `NOT_FOUND` (also when `state` was dropped). */
  live(state: CollectionState): CollectionState
  now(): number
  upsert(state: CollectionState, records: ReturnType<typeof validateRecords>): Promise<void>
  delete(state: CollectionState, ids: string[]): Promise<number>
  /** Called after reads that skipped expired records. */
  noteExpired(state: CollectionState): void
}

/**
 * A collection of a {@link MemoryStore}. Obtain it from `createCollection` or `collection`;
 * a handle stays valid until the collection is dropped or the store is closed.
 *
 * Reads run synchronously on the current state and resolve on the next microtask, so a
 * search sees either all or none of a concurrent upsert batch.
 *
 * @example
 * ```ts
 * const docs = await store.createCollection('docs', { dimensions: 3, metric: 'cosine' })
 * await docs.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { lang: 'en' } }])
 * const [best] = await docs.search([1, 0.1, 0], { k: 1, filter: { lang: 'en' } })
 * ```
 */
export class MemoryCollection<M extends Metadata = Metadata> implements Collection<M> {
  readonly name: string
  readonly spec: ResolvedCollectionSpec

  constructor(
    private readonly host: CollectionHost,
    private readonly state: CollectionState,
  ) {
    this.name = state.name
    this.spec = state.spec
  }

  async upsert(records: VectorRecord<M>[]): Promise<void> {
    const state = this.host.live(this.state)
    const valid = validateRecords(records, state.spec)
    if (valid.length === 0) return
    await this.host.upsert(state, valid)
  }

  async get(ids: string[]): Promise<VectorRecord<M>[]> {
    const state = this.host.live(this.state)
    validateIds(ids)
    const out = state.get(ids, this.host.now())
    this.afterRead(state)
    return out as VectorRecord<M>[]
  }

  async delete(target: string[] | { filter: Filter<M> }): Promise<number> {
    const state = this.host.live(this.state)
    const t = validateDeleteTarget(target)
    const ids = 'ids' in t ? t.ids : state.idsMatching(t.filter, this.host.now())
    if (ids.length === 0) return 0
    return this.host.delete(state, ids)
  }

  async search(query: ArrayLike<number>, options?: SearchOptions<M>): Promise<SearchHit<M>[]> {
    const state = this.host.live(this.state)
    const { query: q, options: o } = validateSearch(query, options as unknown as SearchOptions, state.spec)
    const metric = state.spec.metric
    const rows = state.search(q, o, this.host.now())
    const hits: SearchHit<M>[] = []
    for (const { row, distance } of rows) {
      const score = scoreFromDistance(metric, distance)
      if (o.minScore !== undefined && score < o.minScore) continue
      const hit: SearchHit<M> = { id: state.table.ids[row]!, score, distance }
      const m = state.metadataOf(row)
      if (m !== undefined) hit.metadata = m as M
      if (o.includeVectors) hit.vector = state.index.vector(row)
      hits.push(hit)
    }
    this.afterRead(state)
    return hits
  }

  async count(filter?: Filter<M>): Promise<number> {
    const state = this.host.live(this.state)
    const n = state.count(parseFilter(filter), this.host.now())
    this.afterRead(state)
    return n
  }

  async *scan(options?: ScanOptions<M>): AsyncIterable<VectorRecord<M>[]> {
    const { after, batchSize, filter } = validateScan(options as unknown as ScanOptions)
    let cursor = after
    for (;;) {
      const state = this.host.live(this.state)
      const batch = state.scanBatch(cursor, batchSize, filter, this.host.now())
      this.afterRead(state)
      if (batch.length === 0) return
      cursor = batch[batch.length - 1]!.id
      yield batch as VectorRecord<M>[]
      if (batch.length < batchSize) return
    }
  }

  async stats(): Promise<CollectionStats> {
    const state = this.host.live(this.state)
    const now = this.host.now()
    const count = state.table.ttlRows === 0 ? state.table.size : state.count({ op: 'true' }, now)
    const index = state.index
    return {
      name: state.name,
      dimensions: state.spec.dimensions,
      metric: state.spec.metric,
      count,
      index: state.spec.index,
      tombstones: index.tombstones,
      bytes: index.bytes + state.table.estimateBytes(),
      details: { ...index.details(), expiredNotPurged: state.table.size - count },
    }
  }

  private afterRead(state: CollectionState): void {
    if (state.sawExpired) this.host.noteExpired(state)
  }
}
