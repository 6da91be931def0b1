import type {
  Collection,
  CollectionStats,
  Filter,
  Metadata,
  ResolvedCollectionSpec,
  ScanOptions,
  SearchHit,
  SearchOptions,
  VectorRecord,
} from '@vectorkit/core'
import type { CachedHits } from './frozen-hits'
import { freezeHits, handOut } from './frozen-hits'
import type { Flight, SearchCache } from './search-cache'
import { publishCacheEvent } from './search-cache'
import { copyWords, hashWords, isQueryLike, optionsKey, queryWords, sameQuery } from './search-key'

/** What a collection wrapper needs from its store decorator. */
export interface CacheContext {
  readonly cache: SearchCache
  /** True when the backend declares `capabilities.ttl`: entries must not outlive their hits. */
  readonly recordsExpire: boolean
  readonly isClosed: () => boolean
}

/**
 * A {@link Collection} whose searches go through the cache. Writes bump the collection's
 * generation when they settle (successfully or not), so a search that starts after a write
 * returns can neither read an older entry nor join an older in-flight call, and a call that was
 * in flight during the write never stores its (possibly older) answer.
 */
export class CachedCollection<M extends Metadata = Metadata> implements Collection<M> {
  readonly name: string
  readonly spec: ResolvedCollectionSpec
  private readonly inner: Collection<M>
  private readonly ctx: CacheContext

  constructor(inner: Collection<M>, ctx: CacheContext) {
    this.inner = inner
    this.ctx = ctx
    this.name = inner.name
    this.spec = inner.spec
  }

  search(query: ArrayLike<number>, options?: SearchOptions<M>): Promise<SearchHit<M>[]> {
    const cache = this.ctx.cache
    const optKey = this.ctx.isClosed() || !isQueryLike(query) ? undefined : optionsKey(options)
    if (optKey === undefined) {
      cache.bypassed++
      return this.inner.search(query, options)
    }
    const words = queryWords(query)
    const key = `${this.name}\u0000${hashWords(words)}\u0000${optKey}`
    const gen = cache.generation(this.name)
    const entry = cache.lru.get(key)
    if (entry !== undefined && entry.gen === gen && sameQuery(words, entry.query)) {
      cache.hits++
      publishCacheEvent('hit', this.name)
      return cache.resolveHit(handOut(entry.result) as SearchHit<M>[])
    }
    cache.misses++
    const flight = cache.inflight.get(key)
    if (flight !== undefined && flight.gen === gen && sameQuery(words, flight.query)) {
      cache.coalesced++
      publishCacheEvent('coalesce', this.name)
      return flight.promise.then(handOut) as Promise<SearchHit<M>[]>
    }
    publishCacheEvent('miss', this.name)
    const canonical = copyWords(words)
    const promise = this.load(key, gen, canonical, options)
    const mine: Flight = { gen, query: canonical, promise }
    cache.inflight.set(key, mine)
    const done = (): void => {
      if (cache.inflight.get(key) === mine) cache.inflight.delete(key)
    }
    promise.then(done, done)
    return promise.then(handOut) as Promise<SearchHit<M>[]>
  }

  private async load(
    key: string,
    gen: number,
    canonical: Uint32Array,
    options: SearchOptions<M> | undefined,
  ): Promise<CachedHits> {
    // The backend searches our copy, so a caller reusing its query buffer while the call is in
    // flight cannot make us store answers under the wrong key.
    const hits = await this.inner.search(new Float32Array(canonical.buffer), options)
    const result = freezeHits(hits as SearchHit[])
    let ttl: number | undefined
    if (this.ctx.recordsExpire && hits.length > 0) {
      const remaining = await this.remainingLife(hits)
      if (remaining <= 0) return result
      if (Number.isFinite(remaining)) {
        const max = this.ctx.cache.options.ttl
        // lru-cache still serves an entry at exactly start + ttl, and a record is gone at its
        // expiresAt: one millisecond of margin keeps the entry from ever outliving it.
        ttl = Math.floor(max > 0 ? Math.min(max, remaining) : remaining) - 1
        if (ttl < 1) return result
      }
    }
    // A load that finishes after close() must not refill the cache close() emptied.
    if (!this.ctx.isClosed()) this.ctx.cache.store(this.name, key, { gen, query: canonical, result }, ttl)
    return result
  }

  /**
   * Milliseconds until the first hit expires (Infinity when none expires). Hits do not carry
   * `expiresAt`, so the records are read back once per miss; this costs a `get` only on
   * backends that declare `capabilities.ttl`. A hit that is already gone yields 0: not cached.
   */
  private async remainingLife(hits: SearchHit<M>[]): Promise<number> {
    const ids = hits.map((h) => h.id)
    const records = await this.inner.get(ids)
    if (records.length < new Set(ids).size) return 0
    let earliest = Number.POSITIVE_INFINITY
    for (const r of records) {
      if (r.expiresAt !== undefined) earliest = Math.min(earliest, r.expiresAt.getTime())
    }
    return earliest === Number.POSITIVE_INFINITY ? earliest : earliest - this.ctx.cache.options.wallNow()
  }

  async upsert(records: VectorRecord<M>[]): Promise<void> {
    try {
      await this.inner.upsert(records)
    } finally {
      this.ctx.cache.bump(this.name)
    }
  }

  async delete(target: string[] | { filter: Filter<M> }): Promise<number> {
    try {
      return await this.inner.delete(target)
    } finally {
      this.ctx.cache.bump(this.name)
    }
  }

  get(ids: string[]): Promise<VectorRecord<M>[]> {
    return this.inner.get(ids)
  }

  count(filter?: Filter<M>): Promise<number> {
    return this.inner.count(filter)
  }

  scan(options?: ScanOptions<M>): AsyncIterable<VectorRecord<M>[]> {
    return this.inner.scan(options)
  }

  stats(): Promise<CollectionStats> {
    return this.inner.stats()
  }
}
