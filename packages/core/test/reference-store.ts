import {
  type Capabilities,
  type Collection,
  type CollectionInfo,
  type CollectionSpec,
  type CollectionStats,
  type CreateCollectionOptions,
  compareHits,
  compareIds,
  compileFilter,
  distance,
  type FilterNode,
  type HealthReport,
  type Metadata,
  parseFilter,
  type ResolvedCollectionSpec,
  resolveSpec,
  type ScanOptions,
  type SearchHit,
  type SearchOptions,
  scoreFromDistance,
  specsEqual,
  type ValidRecord,
  type VectorRecord,
  type VectorStore,
  VectorStoreError,
  validateCollectionName,
  validateDeleteTarget,
  validateIds,
  validateRecords,
  validateScan,
  validateSearch,
} from '../src/index'

/** Options of {@link ReferenceStore}; `ttl: false` exercises the suite's "TTL absent" branch. */
export interface ReferenceStoreOptions {
  ttl?: boolean
  /** Injected clock, so TTL checks need no sleeping. */
  now?: () => number
}

/**
 * The simplest store that honours the contract: a brute-force scan over a `Map`. It exists to
 * test the conformance, fuzz and model suites themselves, and to document the contract in code.
 */
export class ReferenceStore implements VectorStore {
  readonly backend = 'reference'
  readonly capabilities: Capabilities
  private readonly collections = new Map<string, ReferenceCollection>()
  private closed = false
  readonly now: () => number

  constructor(options: ReferenceStoreOptions = {}) {
    this.now = options.now ?? Date.now
    this.capabilities = {
      exactSearch: true,
      filters: true,
      scan: true,
      deleteByFilter: true,
      atomicBatches: true,
      hnsw: true,
      quantization: false,
      ttl: options.ttl ?? true,
      persistence: false,
      changeNotifications: false,
    }
  }

  checkOpen(): void {
    if (this.closed) throw new VectorStoreError('CLOSED', 'the store is closed')
  }

  async createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options: CreateCollectionOptions = {},
  ): Promise<Collection<M>> {
    this.checkOpen()
    validateCollectionName(name)
    const resolved = resolveSpec(spec)
    const existing = this.collections.get(name)
    if (existing) {
      if (options.ifNotExists && specsEqual(existing.spec, resolved))
        return existing as unknown as Collection<M>
      throw new VectorStoreError('CONFLICT', `collection "${name}" already exists with a different spec`)
    }
    const created = new ReferenceCollection(this, name, resolved)
    this.collections.set(name, created)
    return created as unknown as Collection<M>
  }

  async collection<M extends Metadata = Metadata>(name: string): Promise<Collection<M>> {
    this.checkOpen()
    validateCollectionName(name)
    const c = this.collections.get(name)
    if (!c) throw new VectorStoreError('NOT_FOUND', `collection "${name}" does not exist`)
    return c as unknown as Collection<M>
  }

  async listCollections(): Promise<CollectionInfo[]> {
    this.checkOpen()
    return [...this.collections.values()].map((c) => ({ name: c.name, spec: c.spec }))
  }

  async dropCollection(name: string): Promise<void> {
    this.checkOpen()
    validateCollectionName(name)
    const c = this.collections.get(name)
    if (!c) throw new VectorStoreError('NOT_FOUND', `collection "${name}" does not exist`)
    c.dropped = true
    this.collections.delete(name)
  }

  async health(): Promise<HealthReport> {
    this.checkOpen()
    return { status: 'healthy', backend: this.backend, checks: [{ name: 'memory', status: 'healthy' }] }
  }

  async close(): Promise<void> {
    this.closed = true
  }
}

class ReferenceCollection implements Collection {
  private readonly records = new Map<string, ValidRecord>()
  dropped = false

  constructor(
    private readonly store: ReferenceStore,
    readonly name: string,
    readonly spec: ResolvedCollectionSpec,
  ) {}

  private check(): void {
    this.store.checkOpen()
    if (this.dropped) throw new VectorStoreError('NOT_FOUND', `collection "${this.name}" was dropped`)
  }

  private live(): ValidRecord[] {
    const now = this.store.now()
    return [...this.records.values()].filter((r) => !r.expiresAt || r.expiresAt.getTime() > now)
  }

  private matching(filter: FilterNode): ValidRecord[] {
    const p = compileFilter(filter)
    return this.live().filter((r) => p(r.metadata))
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    this.check()
    const valid = validateRecords(records, this.spec)
    if (!this.store.capabilities.ttl && valid.some((r) => r.expiresAt))
      throw new VectorStoreError('UNSUPPORTED', 'this store does not support expiresAt')
    // Stored copies: callers may mutate their objects after the call returns.
    for (const r of valid)
      this.records.set(r.id, { ...r, metadata: r.metadata && structuredClone(r.metadata) })
  }

  async get(ids: string[]): Promise<VectorRecord[]> {
    this.check()
    validateIds(ids)
    const live = new Map(this.live().map((r) => [r.id, r]))
    return ids.flatMap((id) => {
      const r = live.get(id)
      return r ? [toRecord(r)] : []
    })
  }

  async delete(target: string[] | { filter: unknown }): Promise<number> {
    this.check()
    const t = validateDeleteTarget(target)
    const victims = 'ids' in t ? this.live().filter((r) => t.ids.includes(r.id)) : this.matching(t.filter)
    for (const r of victims) this.records.delete(r.id)
    return victims.length
  }

  async search(query: ArrayLike<number>, options?: SearchOptions): Promise<SearchHit[]> {
    this.check()
    const { query: q, options: o } = validateSearch(query, options, this.spec)
    const hits: SearchHit[] = []
    for (const r of this.matching(o.filter)) {
      if (o.excludeIds?.has(r.id)) continue
      const d = distance(this.spec.metric, q, r.vector)
      const hit: SearchHit = { id: r.id, distance: d, score: scoreFromDistance(this.spec.metric, d) }
      if (r.metadata) hit.metadata = structuredClone(r.metadata)
      if (o.includeVectors) hit.vector = Float32Array.from(r.vector)
      if (o.minScore === undefined || hit.score >= o.minScore) hits.push(hit)
    }
    return hits.sort(compareHits).slice(0, o.k)
  }

  async count(filter?: unknown): Promise<number> {
    this.check()
    return this.matching(parseFilter(filter)).length
  }

  async *scan(options?: ScanOptions): AsyncIterable<VectorRecord[]> {
    this.check()
    const o = validateScan(options)
    const rows = this.matching(o.filter)
      .filter((r) => o.after === undefined || compareIds(r.id, o.after) > 0)
      .sort((a, b) => compareIds(a.id, b.id))
    for (let i = 0; i < rows.length; i += o.batchSize) yield rows.slice(i, i + o.batchSize).map(toRecord)
  }

  async stats(): Promise<CollectionStats> {
    this.check()
    const count = this.live().length
    return {
      name: this.name,
      dimensions: this.spec.dimensions,
      metric: this.spec.metric,
      count,
      index: this.spec.index,
      tombstones: 0,
      bytes: count * this.spec.dimensions * 4,
    }
  }
}

function toRecord(r: ValidRecord): VectorRecord {
  const out: VectorRecord = { id: r.id, vector: Float32Array.from(r.vector) }
  if (r.metadata) out.metadata = structuredClone(r.metadata)
  if (r.expiresAt) out.expiresAt = new Date(r.expiresAt.getTime())
  return out
}
