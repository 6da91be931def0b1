import type {
  Capabilities,
  ChangeEvent,
  Collection,
  CollectionInfo,
  CollectionSpec,
  CollectionStats,
  HealthReport,
  Metadata,
  ResolvedCollectionSpec,
  SearchHit,
  SearchOptions,
  VectorRecord,
  VectorStore,
} from '@vectorkit/core'
import {
  compareHits,
  compileFilter,
  distance,
  resolveSpec,
  scoreFromDistance,
  VectorStoreError,
  validateRecords,
  validateSearch,
} from '@vectorkit/core'

interface Row {
  id: string
  vector: Float32Array
  metadata: Metadata | undefined
  expiresAt: Date | undefined
}

/**
 * A small exact store for cache tests: counts backend searches, can hold searches at a gate
 * (to interleave writes with in-flight misses), and can declare TTL and change notifications.
 */
export class ScriptedStore implements VectorStore {
  readonly backend = 'scripted'
  readonly capabilities: Capabilities
  searchCalls = 0
  getCalls = 0
  /** When set, every search waits for it after reading its snapshot of the rows. */
  gate: Promise<void> | undefined
  now: () => number = Date.now
  private readonly collections = new Map<string, { spec: ResolvedCollectionSpec; rows: Map<string, Row> }>()
  private readonly listeners = new Set<(event: ChangeEvent) => void>()
  subscribeChanges?: (listener: (event: ChangeEvent) => void) => () => void

  constructor(opts: { ttl?: boolean; changeNotifications?: boolean } = {}) {
    this.capabilities = {
      exactSearch: true,
      filters: true,
      scan: true,
      deleteByFilter: true,
      atomicBatches: true,
      hnsw: false,
      quantization: false,
      ttl: opts.ttl ?? false,
      persistence: false,
      changeNotifications: opts.changeNotifications ?? false,
    }
    if (opts.changeNotifications) {
      this.subscribeChanges = (listener) => {
        this.listeners.add(listener)
        return () => this.listeners.delete(listener)
      }
    }
  }

  /** Simulates a write made by another process: only listeners hear about it. */
  emit(event: ChangeEvent): void {
    for (const l of this.listeners) l(event)
  }

  listenerCount(): number {
    return this.listeners.size
  }

  /** Writes directly, bypassing any decorator (as another process would). */
  writeBehind(name: string, records: VectorRecord[]): void {
    const c = this.must(name)
    for (const r of validateRecords(records, c.spec)) c.rows.set(r.id, r)
  }

  private must(name: string) {
    const c = this.collections.get(name)
    if (!c) throw new VectorStoreError('NOT_FOUND', `collection ${name} does not exist`)
    return c
  }

  async createCollection<M extends Metadata>(name: string, spec: CollectionSpec): Promise<Collection<M>> {
    if (!this.collections.has(name)) this.collections.set(name, { spec: resolveSpec(spec), rows: new Map() })
    return this.collection<M>(name)
  }

  async collection<M extends Metadata>(name: string): Promise<Collection<M>> {
    const c = this.must(name)
    const store = this
    const live = (r: Row) => r.expiresAt === undefined || r.expiresAt.getTime() > store.now()
    const coll: Collection<Metadata> = {
      name,
      spec: c.spec,
      async upsert(records) {
        store.writeBehind(name, records)
      },
      async get(ids) {
        store.getCalls++
        return ids.flatMap((id) => {
          const r = c.rows.get(id)
          return r && live(r) ? [{ ...r, metadata: r.metadata } as VectorRecord] : []
        })
      },
      async delete(target) {
        const ids = Array.isArray(target) ? target : [...c.rows.keys()]
        let n = 0
        for (const id of ids) if (c.rows.delete(id)) n++
        return n
      },
      async search(query: ArrayLike<number>, options?: SearchOptions): Promise<SearchHit[]> {
        store.searchCalls++
        const v = validateSearch(query, options, c.spec)
        const match = compileFilter(v.options.filter)
        const rows = [...c.rows.values()].filter((r) => live(r) && match(r.metadata))
        if (store.gate) await store.gate
        const hits = rows.map((r) => {
          const d = distance(c.spec.metric, v.query, r.vector)
          const hit: SearchHit = { id: r.id, distance: d, score: scoreFromDistance(c.spec.metric, d) }
          if (r.metadata) hit.metadata = r.metadata
          if (v.options.includeVectors) hit.vector = r.vector
          return hit
        })
        return hits.sort(compareHits).slice(0, v.options.k)
      },
      async count() {
        return c.rows.size
      },
      async *scan() {
        yield [...c.rows.values()]
      },
      async stats(): Promise<CollectionStats> {
        return {
          name,
          dimensions: c.spec.dimensions,
          metric: c.spec.metric,
          count: c.rows.size,
          index: c.spec.index,
          tombstones: 0,
          bytes: 0,
        }
      },
    }
    return coll as unknown as Collection<M>
  }

  async listCollections(): Promise<CollectionInfo[]> {
    return [...this.collections].map(([name, c]) => ({ name, spec: c.spec }))
  }

  async dropCollection(name: string): Promise<void> {
    this.must(name)
    this.collections.delete(name)
  }

  async health(): Promise<HealthReport> {
    return { status: 'healthy', backend: this.backend, checks: [] }
  }

  async close(): Promise<void> {}
}

/** A promise and the function that settles it. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
