import type { CollectionStats, HealthStatus, VectorStore } from '@vectorkit/core'
import type { Registry } from 'prom-client'
import type { ActiveAlert, AlertEmitter } from './events'
import type { LatencyQuantiles } from './latency-window'
import type { PoolFacts } from './pool-facts'
import type { CacheStatsLike } from './prometheus'
import type { MetricsServer, ServeMetricsOptions } from './serve-metrics'
import type { ShadowComparison, ShadowSnapshot } from './shadow'

/**
 * Counters and window quantiles of one operation on one collection.
 *
 * @example
 * ```ts
 * const search = monitored.metrics().operations.find((o) => o.operation === 'search' && o.collection === 'docs')
 * console.log(search?.latencyMs.p95)
 * ```
 */
export interface OperationSnapshot {
  operation: string
  /** The collection, `''` for store-wide operations, `*` when `perCollection` is off. */
  collection: string
  /** Calls since start, successful or not. */
  count: number
  /** Failed calls since start. */
  errors: number
  /** Failed calls by error code (`UNKNOWN` for errors that are not `VectorStoreError`). */
  errorsByCode: Record<string, number>
  /** Mean latency since start, in milliseconds. */
  meanMs: number
  /** p50/p95/p99/max over the sliding window (`windowMs`), in milliseconds. */
  latencyMs: LatencyQuantiles
}

/**
 * What `metrics()` returns: a synchronous snapshot, no I/O.
 *
 * @example
 * ```ts
 * const m = monitored.metrics()
 * console.log(m.cache?.hitRatio, m.alerts.length, m.health)
 * ```
 */
export interface MetricsSnapshot {
  /** Clock time of the snapshot, in milliseconds. */
  at: number
  operations: OperationSnapshot[]
  /** Present when the monitor wraps a cache (`withCache`). */
  cache?: CacheStatsLike
  /** Collection statistics as last refreshed for a scrape (empty before the first scrape). */
  collections: CollectionStats[]
  /** Pool facts from the last health check. */
  pools: PoolFacts[]
  alerts: ActiveAlert[]
  shadow: ShadowSnapshot[]
  /** Status of the last `health()` call. */
  health?: HealthStatus
}

/**
 * A {@link VectorStore} with metrics, health aggregation, Prometheus export and alerts:
 * `withMonitor`'s return type.
 *
 * @example
 * ```ts
 * const store: MonitoredStore = withMonitor(withCache(await MemoryStore.open()))
 * store.alerts.on('alert', (e) => console.warn(e.message))
 * const server = await store.serveMetrics({ port: 9464 })
 * ```
 */
export interface MonitoredStore extends VectorStore {
  /** The prom-client registry holding the metrics (yours if you passed one). */
  readonly registry: Registry
  /** Emits `alert` and `slow` events; `alerts.active()` lists firing alerts. */
  readonly alerts: AlertEmitter
  /** A synchronous snapshot of counters, window quantiles, cache stats and alerts. */
  metrics(): MetricsSnapshot
  /** Evaluates every alert rule once (emitting events) and returns the alerts firing after it. */
  evaluateAlerts(): Promise<ActiveAlert[]>
  /**
   * Records one shadow-read comparison (overlap@k and each side's latency) for the facade's
   * rollout mode.
   */
  recordShadow(comparison: ShadowComparison): void
  /**
   * The same as `recordShadow`, under the name of the facade's `ShadowRecorder` interface, so a
   * monitored store can be handed to a rollout store as its recorder directly.
   */
  recordShadowRead(comparison: ShadowComparison): void
  /** Serves `/metrics` and `/health` over HTTP; closed with the store. */
  serveMetrics(options?: ServeMetricsOptions): Promise<MetricsServer>
}
