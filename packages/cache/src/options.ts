import { VectorStoreError } from '@vectorkit/core'

/**
 * A source of time in milliseconds. Inject one so TTL tests need no sleeps.
 *
 * @example
 * ```ts
 * let t = 0
 * const clock: Clock = { now: () => t }
 * ```
 */
export interface Clock {
  now(): number
}

/**
 * Options of {@link withCache}. Every option is documented here once; the README links here.
 *
 * @example
 * ```ts
 * const store = withCache(await MemoryStore.open(), { max: 10_000, ttl: 30_000 })
 * ```
 */
export interface CacheOptions {
  /**
   * Most entries (one entry = one distinct search). Positive integer. Default `1000`.
   *
   * @example
   * ```ts
   * withCache(store, { max: 50_000 })
   * ```
   */
  max?: number
  /**
   * Most approximate bytes held by all entries (query bytes, ids, metadata JSON, vectors).
   * Positive integer; unset means no byte bound (only `max`). An entry larger than this is
   * never stored.
   *
   * @example
   * ```ts
   * withCache(store, { maxSize: 64 * 1024 * 1024 }) // about 64 MiB
   * ```
   */
  maxSize?: number
  /**
   * Most milliseconds an entry lives. Positive integer, or `0` for no time bound. Default
   * `60_000`. This is the bound on staleness across processes when the backend cannot notify
   * changes (see the README); writes through this decorator invalidate immediately anyway.
   *
   * @example
   * ```ts
   * withCache(store, { ttl: 5_000 }) // another process's writes are visible within 5 s
   * ```
   */
  ttl?: number
  /**
   * Clock used for `ttl` and record expiry (milliseconds, monotonic or wall). Default
   * `performance`. Tests pass a fake clock instead of sleeping. When the backend supports
   * record TTL, the clock must be comparable with `Date.now()` — leave it unset in production.
   *
   * @example
   * ```ts
   * let t = 0
   * withCache(store, { ttl: 1000, clock: { now: () => t } })
   * ```
   */
  clock?: Clock
  /**
   * Subscribe to the store's change notifications (`subscribeChanges`) when it has them, so
   * writes made by other processes invalidate this cache. Default `true`.
   *
   * @example
   * ```ts
   * withCache(pgStore, { subscribe: false }) // rely on ttl only
   * ```
   */
  subscribe?: boolean
}

/** Options after validation, defaults filled in. */
export interface ResolvedCacheOptions {
  max: number
  maxSize: number | undefined
  ttl: number
  clock: Clock
  /** Epoch milliseconds, compared with records' `expiresAt`: the injected clock, or `Date.now`. */
  wallNow: () => number
  subscribe: boolean
}

const DEFAULT_MAX = 1000
const DEFAULT_TTL = 60_000

function fail(message: string): never {
  throw new VectorStoreError('VALIDATION', `withCache: ${message}`)
}

function describe(v: unknown): string {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? 'null' : typeof v
}

function positiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    fail(`${name} must be a positive integer, got ${describe(v)}`)
  return v
}

/**
 * Validates {@link CacheOptions} and fills in defaults. Fails fast with exact messages, e.g.
 * `withCache: max must be a positive integer, got 0`.
 */
export function resolveCacheOptions(options: CacheOptions | undefined): ResolvedCacheOptions {
  const o = options ?? {}
  if (o === null || typeof o !== 'object') fail(`options must be an object, got ${describe(o)}`)
  const max = o.max === undefined ? DEFAULT_MAX : positiveInt(o.max, 'max')
  const maxSize = o.maxSize === undefined ? undefined : positiveInt(o.maxSize, 'maxSize')
  let ttl = DEFAULT_TTL
  if (o.ttl !== undefined) {
    if (typeof o.ttl !== 'number' || !Number.isSafeInteger(o.ttl) || o.ttl < 0)
      fail(`ttl must be a non-negative integer of milliseconds, got ${describe(o.ttl)}`)
    ttl = o.ttl
  }
  if (o.clock !== undefined && (o.clock === null || typeof o.clock.now !== 'function'))
    fail('clock must be an object with a now() method')
  if (o.subscribe !== undefined && typeof o.subscribe !== 'boolean')
    fail(`subscribe must be a boolean, got ${describe(o.subscribe)}`)
  return {
    max,
    maxSize,
    ttl,
    clock: o.clock ?? performance,
    wallNow: o.clock ? () => (o.clock as Clock).now() : Date.now,
    subscribe: o.subscribe ?? true,
  }
}
