import type {
  Capabilities,
  ChangeEvent,
  Collection,
  CollectionInfo,
  CollectionSpec,
  CreateCollectionOptions,
  HealthReport,
  Metadata,
  VectorStore,
} from '@vectorkit/core'
import { VectorStoreError } from '@vectorkit/core'
import type { CacheContext } from './cached-collection'
import { CachedCollection } from './cached-collection'
import type { CacheOptions } from './options'
import { resolveCacheOptions } from './options'
import type { CacheStats } from './search-cache'
import { SearchCache } from './search-cache'

/**
 * A {@link VectorStore} with a search-result cache in front of it: `withCache`'s return type.
 *
 * @example
 * ```ts
 * const store: CachedStore = withCache(await MemoryStore.open(), { max: 10_000 })
 * console.log(store.cacheStats().hitRatio)
 * ```
 */
export interface CachedStore extends VectorStore {
  /** Counters of the cache (cheap: no I/O, no allocation beyond the returned object). */
  cacheStats(): CacheStats
  /** Drops every entry (counters are kept). Later searches go to the backend. */
  clearCache(): void
}

class CachedStoreImpl implements CachedStore, CacheContext {
  readonly backend: string
  readonly capabilities: Capabilities
  readonly cache: SearchCache
  readonly recordsExpire: boolean
  readonly subscribeChanges?: (listener: (event: ChangeEvent) => void) => () => void
  private readonly inner: VectorStore
  private closed = false
  private unsubscribe: (() => void) | undefined

  constructor(inner: VectorStore, options: CacheOptions | undefined) {
    this.cache = new SearchCache(resolveCacheOptions(options))
    this.inner = inner
    this.backend = inner.backend
    this.capabilities = inner.capabilities
    this.recordsExpire = inner.capabilities.ttl === true
    const subscribe = inner.subscribeChanges
    if (inner.capabilities.changeNotifications && typeof subscribe === 'function') {
      // Stacks above us (another cache, the app) can still listen.
      this.subscribeChanges = (listener) => subscribe.call(inner, listener)
      if (this.cache.options.subscribe) {
        this.unsubscribe = subscribe.call(inner, (event) => this.cache.bump(event.collection))
      }
    }
  }

  readonly isClosed = (): boolean => this.closed

  private wrap<M extends Metadata>(collection: Collection<M>): Collection<M> {
    return new CachedCollection<M>(collection, this)
  }

  async createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options?: CreateCollectionOptions,
  ): Promise<Collection<M>> {
    try {
      return this.wrap(await this.inner.createCollection<M>(name, spec, options))
    } finally {
      if (typeof name === 'string') this.cache.bump(name)
    }
  }

  async collection<M extends Metadata = Metadata>(name: string): Promise<Collection<M>> {
    return this.wrap(await this.inner.collection<M>(name))
  }

  listCollections(): Promise<CollectionInfo[]> {
    return this.inner.listCollections()
  }

  async dropCollection(name: string): Promise<void> {
    try {
      await this.inner.dropCollection(name)
    } finally {
      if (typeof name === 'string') this.cache.bump(name)
    }
  }

  async health(): Promise<HealthReport> {
    const report = await this.inner.health()
    const stats = this.cache.stats()
    return {
      ...report,
      checks: [
        ...report.checks,
        { name: 'cache', status: 'healthy', details: stats as unknown as Record<string, unknown> },
      ],
    }
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      this.unsubscribe?.()
      this.unsubscribe = undefined
      this.cache.clear()
    }
    await this.inner.close()
  }

  cacheStats(): CacheStats {
    return this.cache.stats()
  }

  clearCache(): void {
    this.cache.clear()
  }
}

/**
 * Puts a search-result cache in front of any store. Only `search` is cached; every write made
 * through the returned store invalidates the collection's entries. See {@link CacheOptions}
 * and the package README for the key, expiry and cross-process rules.
 *
 * @example
 * ```ts
 * import { withCache } from '@vectorkit/cache'
 * const store = withCache(await MemoryStore.open(), { max: 10_000, ttl: 30_000 })
 * const docs = await store.collection('docs')
 * await docs.search(q, { k: 10 }) // backend
 * await docs.search(q, { k: 10 }) // cache
 * ```
 */
export function withCache(store: VectorStore, options?: CacheOptions): CachedStore {
  if (store === null || typeof store !== 'object' || typeof store.collection !== 'function')
    throw new VectorStoreError('VALIDATION', 'withCache: store must be a VectorStore')
  return new CachedStoreImpl(store, options)
}
