import type { CollectionStats, HealthStatus } from '@vectorkit/core'
import type { Registry } from 'prom-client'
import { Counter, Gauge } from 'prom-client'
import type { ActiveAlert } from './events'
import type { PoolFacts } from './pool-facts'
import type { Recorder } from './recorder'
import type { ShadowRecorder } from './shadow'

/**
 * The cache counters the monitor exports when it wraps a `CachedStore` (duck-typed: any store
 * with a `cacheStats()` returning this shape).
 *
 * @example
 * ```ts
 * const c: CacheStatsLike | undefined = monitored.metrics().cache
 * ```
 */
export interface CacheStatsLike {
  hits: number
  misses: number
  hitRatio: number
  evictions: number
  size: number
  bytes?: number
  coalesced?: number
  invalidations?: number
}

/** Everything the exported metrics are read from at scrape time. */
export interface MetricSources {
  recorder: Recorder
  shadow: ShadowRecorder
  now(): number
  cacheStats: (() => CacheStatsLike) | undefined
  /** Refreshes (at most every `statsEveryMs`) and returns the collection statistics. */
  collectionStats(): Promise<ReadonlyMap<string, CollectionStats>>
  statsErrors(): number
  lastHealth(): { status: HealthStatus; checks: { name: string; status: HealthStatus }[] } | undefined
  pools(): PoolFacts[]
  activeAlerts(): ActiveAlert[]
}

const STATUS_VALUE: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 }
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
] as const

/**
 * Registers the monitor's metrics on `registry`. Nothing is computed until a scrape: every
 * metric fills itself in its `collect()` from {@link MetricSources}. Returns the names, so
 * `close()` can unregister them.
 */
export function registerMetrics(
  registry: Registry,
  prefix: string,
  src: MetricSources,
  names: string[] = [],
): string[] {
  const registers = [registry]
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter<string>) => void) => {
    names.push(prefix + name)
    new Counter({
      name: prefix + name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset()
        fill(this)
      },
    })
  }
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (g: Gauge<string>) => void | Promise<void>,
  ) => {
    names.push(prefix + name)
    new Gauge({
      name: prefix + name,
      help,
      labelNames,
      registers,
      collect() {
        this.reset()
        return fill(this)
      },
    })
  }
  const opLabels = ['operation', 'collection']

  counter('operations_total', 'Operations called (successful or not).', opLabels, (c) => {
    for (const s of src.recorder.series.values())
      c.inc({ operation: s.operation, collection: s.collection }, s.count)
  })
  counter('operation_errors_total', 'Operations that failed, by error code.', [...opLabels, 'code'], (c) => {
    for (const s of src.recorder.series.values())
      for (const [code, n] of s.errorsByCode)
        c.inc({ operation: s.operation, collection: s.collection, code }, n)
  })
  counter('operation_seconds_total', 'Time spent in operations, in seconds.', opLabels, (c) => {
    for (const s of src.recorder.series.values())
      c.inc({ operation: s.operation, collection: s.collection }, s.totalMs / 1000)
  })
  gauge(
    'operation_latency_seconds',
    'Latency quantiles over the sliding window (HDR histogram), in seconds.',
    [...opLabels, 'quantile'],
    (g) => {
      const now = src.now()
      for (const s of src.recorder.series.values()) {
        const q = s.window.quantiles(now)
        if (q.count === 0) continue
        for (const [quantile, field] of QUANTILES)
          g.set({ operation: s.operation, collection: s.collection, quantile }, q[field] / 1000)
      }
    },
  )
  gauge('collection_vectors', 'Live vectors per collection.', ['collection'], async (g) => {
    for (const [name, st] of await src.collectionStats())
      g.inc({ collection: src.recorder.label(name) }, st.count)
  })
  gauge(
    'collection_bytes',
    'Bytes used per collection, as the backend reports.',
    ['collection'],
    async (g) => {
      for (const [name, st] of await src.collectionStats())
        g.inc({ collection: src.recorder.label(name) }, st.bytes)
    },
  )
  gauge('collection_tombstones', 'Deleted records the index still holds.', ['collection'], async (g) => {
    for (const [name, st] of await src.collectionStats())
      g.inc({ collection: src.recorder.label(name) }, st.tombstones)
  })
  gauge(
    'collection_index_stat',
    'Numeric index parameters and backend details, passed through from stats().',
    ['collection', 'stat'],
    async (g) => {
      for (const [name, st] of await src.collectionStats()) {
        const collection = src.recorder.label(name)
        for (const [stat, v] of Object.entries(st.index))
          if (typeof v === 'number') g.set({ collection, stat }, v)
        for (const [stat, v] of Object.entries(st.details ?? {}))
          if (typeof v === 'number' && Number.isFinite(v)) g.set({ collection, stat }, v)
      }
    },
  )
  counter('stats_errors_total', 'Failed refreshes of collection statistics.', [], (c) =>
    c.inc(src.statsErrors()),
  )
  if (src.cacheStats) {
    const stats = src.cacheStats
    counter('cache_hits_total', 'Searches answered by the cache.', [], (c) => c.inc(stats().hits))
    counter('cache_misses_total', 'Searches the cache could not answer.', [], (c) => c.inc(stats().misses))
    counter('cache_evictions_total', 'Cache entries evicted for space.', [], (c) => c.inc(stats().evictions))
    counter('cache_coalesced_total', 'Misses that joined an identical in-flight call.', [], (c) =>
      c.inc(stats().coalesced ?? 0),
    )
    counter('cache_invalidations_total', 'Collection generation bumps (writes, notifications).', [], (c) =>
      c.inc(stats().invalidations ?? 0),
    )
    gauge('cache_entries', 'Entries in the cache.', [], (g) => g.set(stats().size))
    gauge('cache_bytes', 'Approximate bytes in the cache (with maxSize).', [], (g) =>
      g.set(stats().bytes ?? 0),
    )
    gauge('cache_hit_ratio', 'Hits over lookups since start.', [], (g) => g.set(stats().hitRatio))
  }
  gauge('health_status', 'Last health: 0 healthy, 1 degraded, 2 unhealthy.', ['check'], (g) => {
    const h = src.lastHealth()
    if (!h) return
    g.set({ check: 'overall' }, STATUS_VALUE[h.status])
    for (const c of h.checks) g.set({ check: c.name }, STATUS_VALUE[c.status])
  })
  gauge(
    'pool_connections',
    'Pool connections by state, from the last health check.',
    ['pool', 'state'],
    (g) => {
      for (const p of src.pools()) {
        g.set({ pool: p.name, state: 'total' }, p.total)
        g.set({ pool: p.name, state: 'idle' }, p.idle)
        g.set({ pool: p.name, state: 'waiting' }, p.waiting)
        if (p.max !== undefined) g.set({ pool: p.name, state: 'max' }, p.max)
      }
    },
  )
  gauge(
    'alert_active',
    'Alerts firing (1), by rule, target and severity.',
    ['rule', 'target', 'severity'],
    (g) => {
      for (const a of src.activeAlerts()) g.set({ rule: a.rule, target: a.target, severity: a.severity }, 1)
    },
  )
  counter('shadow_comparisons_total', 'Shadow reads compared.', ['collection'], (c) => {
    for (const s of src.shadow.series.values()) c.inc({ collection: s.collection }, s.comparisons)
  })
  counter(
    'shadow_overlap_total',
    'Sum of overlap@k of shadow reads (divide by comparisons for the mean).',
    ['collection'],
    (c) => {
      for (const s of src.shadow.series.values()) c.inc({ collection: s.collection }, s.overlapSum)
    },
  )
  gauge(
    'shadow_latency_seconds',
    'Latency quantiles of shadow reads per side, over the window, in seconds.',
    ['collection', 'side', 'quantile'],
    (g) => {
      const now = src.now()
      for (const s of src.shadow.series.values()) {
        for (const [side, w] of [
          ['primary', s.primary],
          ['secondary', s.secondary],
        ] as const) {
          const q = w.quantiles(now)
          if (q.count === 0) continue
          for (const [quantile, field] of QUANTILES)
            g.set({ collection: s.collection, side, quantile }, q[field] / 1000)
        }
      }
    },
  )
  return names
}
