import diagnostics from 'node:diagnostics_channel'
import { LRUCache } from 'lru-cache'
import type { CachedHits } from './frozen-hits'
import type { ResolvedCacheOptions } from './options'

/**
 * Name of the `node:diagnostics_channel` on which the cache publishes {@link CacheEvent}s.
 * Nothing is built or published unless someone subscribes.
 *
 * @example
 * ```ts
 * import diagnostics from 'node:diagnostics_channel'
 * diagnostics.subscribe(CACHE_CHANNEL, (msg) => console.log(msg)) // { event: 'hit', collection: 'docs' }
 * ```
 */
export const CACHE_CHANNEL = 'vectorkit:cache'

/**
 * What happened in the cache: a search answered from an entry (`hit`), sent to the backend
 * (`miss`), joined an in-flight call (`coalesce`); an entry evicted for space (`evict`); a
 * collection's entries invalidated by a write or a change notification (`invalidate`).
 *
 * @example
 * ```ts
 * const interesting: CacheEventKind[] = ['evict', 'invalidate']
 * ```
 */
export type CacheEventKind = 'hit' | 'miss' | 'coalesce' | 'evict' | 'invalidate'

/**
 * A message on {@link CACHE_CHANNEL}.
 *
 * @example
 * ```ts
 * const e: CacheEvent = { event: 'invalidate', collection: 'docs' }
 * ```
 */
export interface CacheEvent {
  event: CacheEventKind
  collection: string
}

const channel = diagnostics.channel(CACHE_CHANNEL)

/** Publishes only when someone listens, so an unobserved cache pays one property read. */
export function publishCacheEvent(event: CacheEventKind, collection: string): void {
  if (channel.hasSubscribers) channel.publish({ event, collection } satisfies CacheEvent)
}

/** Hits one event-loop turn may answer before the next hit yields to the loop. */
const HIT_STREAK = 256

/** One cached search: its generation and canonical query (checked on every hit) and the hits. */
export interface Entry {
  gen: number
  query: Uint32Array
  result: CachedHits
}

/** A backend call in progress that identical searches of the same generation join. */
export interface Flight {
  gen: number
  query: Uint32Array
  promise: Promise<CachedHits>
}

/**
 * Counters of a cache, as returned by `cacheStats()`.
 *
 * @example
 * ```ts
 * const { hits, misses, hitRatio } = cached.cacheStats()
 * ```
 */
export interface CacheStats {
  /** Searches answered from a stored entry. */
  hits: number
  /** Searches not answered from a stored entry (including those that joined an in-flight call). */
  misses: number
  /** `hits / (hits + misses)`, `0` before the first search. */
  hitRatio: number
  /** Entries dropped to respect `max` or `maxSize`. */
  evictions: number
  /** Entries currently stored (some may belong to an old generation until touched or evicted). */
  size: number
  /** Approximate bytes held (counted only when `maxSize` is set, else 0). */
  bytes: number
  /** Misses that joined an identical in-flight backend call instead of making their own. */
  coalesced: number
  /** Searches that bypassed the cache (options it cannot key safely, or a closed store). */
  bypassed: number
  /** Generation bumps: writes through the decorator and change notifications. */
  invalidations: number
}

/**
 * The shared state of one `withCache` decorator: the LRU, the per-collection generations, the
 * in-flight calls and the counters. Collections are wrappers around it.
 */
export class SearchCache {
  readonly lru: LRUCache<string, Entry>
  readonly inflight = new Map<string, Flight>()
  readonly options: ResolvedCacheOptions
  private readonly gens = new Map<string, number>()
  // One counter for all collections, so a dropped and recreated collection never reuses a generation.
  private counter = 0
  hits = 0
  misses = 0
  evictions = 0
  coalesced = 0
  bypassed = 0
  invalidations = 0

  constructor(options: ResolvedCacheOptions) {
    this.options = options
    this.lru = new LRUCache<string, Entry>({
      max: options.max,
      ...(options.maxSize === undefined ? {} : { maxSize: options.maxSize }),
      ...(options.ttl > 0 ? { ttl: options.ttl } : {}),
      // Read the (possibly injected) clock on every check instead of caching it for 1 ms.
      ttlResolution: 0,
      perf: options.clock,
      dispose: (_value, key, reason) => {
        if (reason === 'evict') {
          this.evictions++
          publishCacheEvent('evict', key.slice(0, key.indexOf('\u0000')))
        }
      },
    })
  }

  /**
   * A hit resolves at once, so a loop of hits (`while (...) await search(q)`) would run on
   * microtasks alone and starve timers and sockets — a write waiting on PostgreSQL would never
   * finish. After {@link HIT_STREAK} hits within one event-loop turn, a hit waits for the next
   * turn instead; the amortised cost is one `setImmediate` per turn.
   */
  resolveHit<T>(value: T): Promise<T> {
    if (!this.turnReset) {
      this.turnReset = true
      setImmediate(this.resetTurn)
    }
    if (++this.streak <= HIT_STREAK) return Promise.resolve(value)
    return new Promise((resolve) => setImmediate(resolve, value))
  }

  private streak = 0
  private turnReset = false
  private readonly resetTurn = (): void => {
    this.streak = 0
    this.turnReset = false
  }

  generation(collection: string): number {
    return this.gens.get(collection) ?? 0
  }

  /** Makes every entry and in-flight call of the collection invisible to later searches. */
  bump(collection: string): void {
    this.gens.set(collection, ++this.counter)
    this.invalidations++
    publishCacheEvent('invalidate', collection)
  }

  /** Stores a loaded result unless a write moved the generation on while it was loading. */
  store(collection: string, key: string, entry: Entry, ttl: number | undefined): void {
    if (this.generation(collection) !== entry.gen) return
    if (this.options.maxSize === undefined) {
      this.lru.set(key, entry, ttl === undefined ? undefined : { ttl })
    } else {
      const size = Math.max(1, entry.result.bytes + entry.query.byteLength)
      if (size > this.options.maxSize) return
      this.lru.set(key, entry, ttl === undefined ? { size } : { size, ttl })
    }
  }

  stats(): CacheStats {
    const lookups = this.hits + this.misses
    return {
      hits: this.hits,
      misses: this.misses,
      hitRatio: lookups === 0 ? 0 : this.hits / lookups,
      evictions: this.evictions,
      size: this.lru.size,
      bytes: this.lru.calculatedSize ?? 0,
      coalesced: this.coalesced,
      bypassed: this.bypassed,
      invalidations: this.invalidations,
    }
  }

  clear(): void {
    this.lru.clear()
    this.inflight.clear()
  }
}
