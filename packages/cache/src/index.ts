/**
 * `@vectorkit/cache`: a search-result cache decorator for any vectorkit store.
 *
 * @example
 * ```ts
 * import { withCache } from '@vectorkit/cache'
 * const store = withCache(await MemoryStore.open(), { max: 10_000, ttl: 30_000 })
 * console.log(store.cacheStats().hitRatio)
 * ```
 */
export type { CachedStore } from './cached-store'
export { withCache } from './cached-store'
export type { CacheOptions, Clock } from './options'
export type { CacheEvent, CacheEventKind, CacheStats } from './search-cache'
export { CACHE_CHANNEL } from './search-cache'
