import {
  type Capabilities,
  type Collection,
  type CollectionInfo,
  type CollectionSpec,
  type CreateCollectionOptions,
  compareIds,
  type HealthReport,
  type Metadata,
  resolveSpec,
  specsEqual,
  type VectorStore,
  VectorStoreError,
  validateCollectionName,
  validationError,
} from '@vectorkit/core'
import { CollectionState } from './collection-state'
import { createIndex, type IndexFactoryOptions } from './index-factory'
import type { HeapPool } from './kernels/index'
import { type CollectionHost, MemoryCollection } from './memory-collection'
import type { Mutation, MutationHook } from './mutations'
import {
  Persistence,
  type PersistenceOptions,
  type RecoveryReport,
  resolvePersistenceOptions,
} from './persistence/index'
import { TtlSweeper } from './ttl-sweeper'

/**
 * Options of {@link MemoryStore.open}.
 *
 * @example
 * ```ts
 * let now = Date.parse('2030-01-01')
 * const store = await MemoryStore.open({ clock: () => now, seed: 42, ttlSweepIntervalMs: 0 })
 * ```
 */
export interface MemoryStoreOptions extends Omit<PersistenceOptions, 'path'> {
  /**
   * Data directory: with it the store is durable (write-ahead log + snapshots, see
   * {@link PersistenceOptions} and docs/operations.md); without it, memory only.
   */
  path?: string
  /** Milliseconds since the epoch; decides when `expiresAt` has passed. Default `Date.now`. */
  clock?: () => number
  /** Seed of the HNSW level generator: the same seed and the same writes build the same graph. Default 0x5eed. */
  seed?: number
  /** How often expired records are purged in the background (ms); 0 turns the timer off. Default 60,000. */
  ttlSweepIntervalMs?: number
  /** Use the plain-JS distance code even where WebAssembly SIMD is available (tests, debugging). */
  forceJsKernels?: boolean
  /**
   * Size from which an HNSW collection builds its graph; smaller ones are scanned exactly
   * (faster and exact at that size, and they use no graph memory). Default 256; 0 links from
   * the first record (tests).
   */
  hnswMinRows?: number
  /**
   * WebAssembly heaps for this store's vectors. Default: one pool shared by every store of the
   * process (4 GiB heaps). Give a `new HeapPool({ maxHeapBytes })` to cap the segment size.
   */
  heapPool?: HeapPool
}

/**
 * The embedded backend: collections in process memory, vectors in WebAssembly memory, with an
 * exact (`flat`) or `hnsw` index per collection, optional int8 quantization and TTL.
 *
 * Every write is one {@link Mutation} applied synchronously through a single path, so a batch
 * is all-or-nothing and visible at once.
 *
 * @example
 * ```ts
 * const store = await MemoryStore.open()
 * const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2', index: { type: 'hnsw' } })
 * await docs.upsert([{ id: 'a', vector: [1, 2, 3] }])
 * console.log(await docs.search([1, 2, 3], { k: 1 }))
 * await store.close()
 * ```
 */
export class MemoryStore implements VectorStore {
  readonly backend = 'memory'
  readonly capabilities: Capabilities = {
    exactSearch: true,
    filters: true,
    scan: true,
    deleteByFilter: true,
    atomicBatches: true,
    hnsw: true,
    quantization: true,
    ttl: true,
    persistence: false,
    changeNotifications: false,
  }
  /** @internal */ readonly states = new Map<string, CollectionState>()
  private readonly clock: () => number
  private readonly indexOptions: IndexFactoryOptions
  private readonly sweeper: TtlSweeper
  private hook: MutationHook | undefined
  private persistence: Persistence | undefined
  private closed = false
  private readonly host: CollectionHost = {
    live: (state) => {
      this.open()
      if (this.states.get(state.name) !== state) throw notFound(state.name)
      return state
    },
    now: () => this.clock(),
    upsert: async (state, records) => {
      await this.write({ type: 'upsert', collection: state.name, records })
    },
    delete: (state, ids) => this.write({ type: 'delete', collection: state.name, ids }),
    noteExpired: (state) => {
      state.sawExpired = false
      this.sweeper.schedule()
    },
  }

  protected constructor(options: MemoryStoreOptions = {}) {
    if (options.clock !== undefined && typeof options.clock !== 'function')
      throw validationError('MemoryStoreOptions.clock must be a function returning epoch milliseconds')
    this.clock = options.clock ?? Date.now
    const minRows = options.hnswMinRows
    if (minRows !== undefined && !(Number.isInteger(minRows) && minRows >= 0))
      throw validationError(`hnswMinRows must be an integer >= 0, got ${String(minRows)}`)
    this.indexOptions = {
      seed: (options.seed ?? 0x5eed) >>> 0,
      forceJs: options.forceJsKernels ?? false,
      ...(minRows === undefined ? {} : { graphMinRows: minRows }),
      ...(options.heapPool === undefined ? {} : { pool: options.heapPool }),
    }
    this.sweeper = new TtlSweeper(this, options.ttlSweepIntervalMs ?? 60_000)
  }

  /**
   * Opens a store: empty and in memory only, or — with `path` — the data directory's state,
   * recovered from its newest valid snapshot and log.
   */
  static async open(options?: MemoryStoreOptions): Promise<MemoryStore> {
    // persistence: validate before anything is created, recover before the hook is installed.
    const p =
      options?.path === undefined ? undefined : resolvePersistenceOptions({ ...options, path: options.path })
    const store = new MemoryStore(options)
    if (p === undefined) return store
    try {
      store.persistence = await Persistence.open(store, p)
    } catch (err) {
      store.sweeper.stop()
      for (const state of store.states.values()) state.index.release()
      throw err
    }
    store.capabilities.persistence = true
    store.setMutationHook(store.persistence.hook)
    return store
  }

  /** What opening the data directory found and did (`undefined` without `path`). */
  get recovery(): RecoveryReport | undefined {
    return this.persistence?.recovery
  }

  /**
   * Writes a snapshot now and starts a new log generation; resolves once it is durable. Use it
   * before copying the data directory for a backup. Resolves at once without `path`.
   */
  async checkpoint(): Promise<void> {
    this.open()
    await this.persistence?.checkpoint()
  }

  async createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options?: CreateCollectionOptions,
  ): Promise<Collection<M>> {
    this.open()
    validateCollectionName(name)
    const resolved = resolveSpec(spec)
    const existing = this.states.get(name)
    if (existing !== undefined) {
      if (options?.ifNotExists !== true)
        throw new VectorStoreError('CONFLICT', `collection "${name}" already exists`)
      if (!specsEqual(existing.spec, resolved))
        throw new VectorStoreError('CONFLICT', `collection "${name}" exists with a different spec`, {
          details: { existing: existing.spec, requested: resolved },
        })
      return new MemoryCollection<M>(this.host, existing)
    }
    await this.write({ type: 'createCollection', name, spec: resolved })
    return new MemoryCollection<M>(this.host, this.states.get(name)!)
  }

  async collection<M extends Metadata = Metadata>(name: string): Promise<Collection<M>> {
    this.open()
    validateCollectionName(name)
    const state = this.states.get(name)
    if (state === undefined) throw notFound(name)
    return new MemoryCollection<M>(this.host, state)
  }

  async listCollections(): Promise<CollectionInfo[]> {
    this.open()
    return [...this.states.values()]
      .map((s) => ({ name: s.name, spec: s.spec }))
      .sort((a, b) => compareIds(a.name, b.name))
  }

  async dropCollection(name: string): Promise<void> {
    this.open()
    validateCollectionName(name)
    if (!this.states.has(name)) throw notFound(name)
    await this.write({ type: 'dropCollection', name })
  }

  async health(): Promise<HealthReport> {
    this.open()
    const sweepError = this.sweeper.lastError
    const report: HealthReport = {
      status: sweepError === undefined ? 'healthy' : 'degraded',
      backend: this.backend,
      checks: [
        {
          name: 'memory',
          status: 'healthy',
          details: { collections: this.states.size, rssBytes: process.memoryUsage().rss },
        },
        {
          name: 'ttl-sweep',
          status: sweepError === undefined ? 'healthy' : 'degraded',
          ...(sweepError === undefined ? {} : { message: String(sweepError) }),
        },
      ],
    }
    // persistence: its check joins the report; the worst status wins.
    if (this.persistence !== undefined) {
      const p = this.persistence.health()
      report.checks.push(p)
      if (p.status === 'unhealthy' || (p.status === 'degraded' && report.status === 'healthy'))
        report.status = p.status
    }
    return report
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.sweeper.stop()
    try {
      // persistence: last snapshot, log synced and closed, lock released (needs the state).
      await this.persistence?.close()
    } finally {
      for (const state of this.states.values()) state.index.release()
      this.states.clear()
    }
  }

  /**
   * Installs the write-ahead hook (internal; used by persistence). See {@link MutationHook}.
   * @internal
   */
  setMutationHook(hook: MutationHook | undefined): void {
    this.hook = hook
  }

  /**
   * Applies one mutation synchronously, without calling the hook (internal; the one place
   * state changes, also used to replay a log). Returns the number of records a delete removed.
   * @internal
   */
  applyMutation(m: Mutation): number {
    switch (m.type) {
      case 'createCollection': {
        if (this.states.has(m.name))
          throw new VectorStoreError('CONFLICT', `collection "${m.name}" already exists`)
        const index = createIndex(m.spec, m.name, this.indexOptions)
        this.states.set(m.name, new CollectionState(m.name, m.spec, index))
        return 0
      }
      case 'dropCollection': {
        const state = this.states.get(m.name)
        if (state === undefined) throw notFound(m.name)
        this.states.delete(m.name)
        state.index.release()
        return 0
      }
      case 'upsert':
        this.stateOf(m.collection).applyUpsert(m.records)
        return m.records.length
      case 'delete':
        return this.stateOf(m.collection).applyDelete(m.ids, this.clock())
    }
  }

  /** The single write path: hook (write-ahead), then apply, then wait for durability. */
  private async write(m: Mutation): Promise<number> {
    const durable = this.hook?.(m)
    let result: number
    try {
      result = this.applyMutation(m)
    } catch (err) {
      // persistence: the mutation was logged but not applied; take the record back.
      this.persistence?.abort()
      if (durable !== undefined) durable.catch(() => {})
      throw err
    }
    if (durable !== undefined) await durable
    return result
  }

  /**
   * Purges expired records of every collection through the write path (internal; the sweeper
   * calls it on its timer and soon after a read met an expired record).
   * @internal
   */
  async purgeExpired(): Promise<number> {
    if (this.closed) return 0
    const now = this.clock()
    let purged = 0
    for (const state of [...this.states.values()]) {
      const ids = state.expiredIds(now)
      if (ids.length === 0 || this.states.get(state.name) !== state) continue
      await this.write({ type: 'delete', collection: state.name, ids, reason: 'expired' })
      purged += ids.length
    }
    return purged
  }

  private stateOf(name: string): CollectionState {
    const state = this.states.get(name)
    if (state === undefined) throw notFound(name)
    return state
  }

  private open(): void {
    if (this.closed) throw new VectorStoreError('CLOSED', 'the memory store is closed; open a new one')
  }
}

function notFound(name: string): VectorStoreError {
  return new VectorStoreError('NOT_FOUND', `collection "${name}" does not exist`)
}
