import diagnostics from 'node:diagnostics_channel'

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

/** What happened in the cache. */
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
