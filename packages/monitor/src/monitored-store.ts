import type {
  Capabilities,
  ChangeEvent,
  Collection,
  CollectionInfo,
  CollectionSpec,
  CollectionStats,
  CreateCollectionOptions,
  HealthReport,
  Metadata,
  VectorStore,
} from '@vectorkit/core'
import { VectorStoreError } from '@vectorkit/core'
import type { Registry } from 'prom-client'
import { AlertEngine } from './alert-engine'
import { CollectionFacts } from './collection-facts'
import { evaluateRules } from './evaluate-rules'
import type { ActiveAlert } from './events'
import { AlertEmitter } from './events'
import { aggregateHealth, innerHealth } from './health'
import { MonitoredCollection } from './monitored-collection'
import type { MetricsSnapshot, MonitoredStore } from './monitored-types'
import type { MonitorOptions, ResolvedMonitorOptions } from './options'
import { resolveMonitorOptions } from './options'
import type { PoolFacts } from './pool-facts'
import { extractPools } from './pool-facts'
import type { CacheStatsLike, MetricSources } from './prometheus'
import { registerMetrics } from './prometheus'
import { Recorder } from './recorder'
import type { MetricsServer, ServeMetricsOptions } from './serve-metrics'
import { serveMetrics } from './serve-metrics'
import type { ShadowComparison } from './shadow'
import { ShadowRecorder } from './shadow'

/** The implementation behind {@link withMonitor}. */
export class MonitoredStoreImpl implements MonitoredStore {
  readonly backend: string
  readonly capabilities: Capabilities
  readonly registry: Registry
  readonly alerts = new AlertEmitter()
  readonly subscribeChanges?: (listener: (event: ChangeEvent) => void) => () => void
  readonly options: ResolvedMonitorOptions
  readonly recorder: Recorder
  readonly shadow: ShadowRecorder
  readonly engine: AlertEngine
  readonly facts: CollectionFacts
  readonly cacheStats: (() => CacheStatsLike) | undefined
  private readonly inner: VectorStore
  private readonly metricNames: string[]
  private readonly servers = new Set<MetricsServer>()
  private timer: NodeJS.Timeout | undefined
  private evaluating: Promise<ActiveAlert[]> | undefined
  private lastReport: HealthReport | undefined
  private lastPools: PoolFacts[] = []
  private closed = false
  readonly poolsAfterCheck = (): PoolFacts[] => this.lastPools

  constructor(inner: VectorStore, options: MonitorOptions | undefined) {
    this.options = resolveMonitorOptions(options)
    this.inner = inner
    this.backend = inner.backend
    this.capabilities = inner.capabilities
    this.registry = this.options.registry
    this.recorder = new Recorder(this.options, this.alerts)
    this.shadow = new ShadowRecorder(this.options.windowMs, this.options.clock, (c) => this.recorder.label(c))
    this.engine = new AlertEngine(
      this.alerts,
      this.options.alerts.consecutive,
      this.options.alerts.clearMargin,
    )
    this.alerts.bindActive(() => this.engine.active())
    this.facts = new CollectionFacts(inner, this.options.statsEveryMs, this.options.clock)
    const maybeCache = (inner as { cacheStats?: unknown }).cacheStats
    this.cacheStats =
      typeof maybeCache === 'function' ? () => maybeCache.call(inner) as CacheStatsLike : undefined
    const subscribe = inner.subscribeChanges
    if (typeof subscribe === 'function') this.subscribeChanges = (listener) => subscribe.call(inner, listener)
    this.metricNames = this.register({
      recorder: this.recorder,
      shadow: this.shadow,
      now: () => this.options.clock.now(),
      cacheStats: this.cacheStats,
      collectionStats: () => this.facts.get(),
      statsErrors: () => this.facts.errors,
      lastHealth: () => this.lastReport,
      pools: () => this.lastPools,
      activeAlerts: () => this.engine.active(),
    })
    this.alerts.on('newListener', (event: string | symbol) => {
      if (event === 'alert') this.startEvaluating()
    })
  }

  /** Registers the metrics, or fails as a whole with `CONFLICT` (leaving nothing registered). */
  private register(sources: MetricSources): string[] {
    const names: string[] = []
    try {
      return registerMetrics(this.registry, this.options.prefix, sources, names)
    } catch (err) {
      for (const name of names.slice(0, -1)) this.registry.removeSingleMetric(name)
      throw new VectorStoreError(
        'CONFLICT',
        `withMonitor: metrics named ${this.options.prefix}* are already registered on this registry; close the other monitor or pass another prefix`,
        { cause: err },
      )
    }
  }

  private wrap<M extends Metadata>(collection: Collection<M>): Collection<M> {
    return new MonitoredCollection<M>(collection, this.recorder)
  }

  /**
   * Times a store-level call. Failures are labelled with the store (`''`), not the name asked
   * for: names that do not exist or are invalid would otherwise each open a new series.
   */
  private async timed<T>(operation: string, collection: string, run: () => Promise<T>): Promise<T> {
    const t0 = this.recorder.now()
    try {
      const out = await run()
      this.recorder.done(this.recorder.get(operation, collection), t0)
      return out
    } catch (err) {
      this.recorder.failed(this.recorder.get(operation, ''), t0, err)
      throw err
    }
  }

  async createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options?: CreateCollectionOptions,
  ): Promise<Collection<M>> {
    return this.wrap(
      await this.timed('createCollection', name, () => this.inner.createCollection<M>(name, spec, options)),
    )
  }

  async collection<M extends Metadata = Metadata>(name: string): Promise<Collection<M>> {
    return this.wrap(await this.timed('collection', name, () => this.inner.collection<M>(name)))
  }

  listCollections(): Promise<CollectionInfo[]> {
    return this.timed('listCollections', '', () => this.inner.listCollections())
  }

  dropCollection(name: string): Promise<void> {
    return this.timed('dropCollection', name, () => this.inner.dropCollection(name))
  }

  async health(): Promise<HealthReport> {
    const report = aggregateHealth(await this.checkInner(), this.engine.active())
    this.lastReport = report
    return report
  }

  /** The wrapped store's health, timed as the `health` operation, remembered for pool metrics. */
  async checkInner(): Promise<{ report: HealthReport; latencyMs: number }> {
    const s = this.recorder.get('health', '')
    const t0 = this.recorder.now()
    const inner = await innerHealth(this.inner, this.options.healthTimeoutMs, () => this.options.clock.now())
    if (inner.error === undefined) this.recorder.done(s, t0)
    else this.recorder.failed(s, t0, inner.error)
    this.lastPools = extractPools(inner.report)
    return inner
  }

  metrics(): MetricsSnapshot {
    const now = this.options.clock.now()
    const operations = [...this.recorder.series.values()].map((s) => ({
      operation: s.operation,
      collection: s.collection,
      count: s.count,
      errors: s.errors,
      errorsByCode: Object.fromEntries(s.errorsByCode),
      meanMs: s.count === 0 ? 0 : s.totalMs / s.count,
      latencyMs: s.window.quantiles(now),
    }))
    const snapshot: MetricsSnapshot = {
      at: now,
      operations,
      collections: [...this.facts.last().values()] as CollectionStats[],
      pools: this.lastPools,
      alerts: this.engine.active(),
      shadow: this.shadow.snapshot(),
    }
    if (this.cacheStats) snapshot.cache = this.cacheStats()
    if (this.lastReport) snapshot.health = this.lastReport.status
    return snapshot
  }

  evaluateAlerts(): Promise<ActiveAlert[]> {
    // One evaluation at a time: a timer tick and a manual call must not double-count a streak.
    this.evaluating ??= evaluateRules(this).finally(() => {
      this.evaluating = undefined
    })
    return this.evaluating
  }

  private startEvaluating(): void {
    if (this.timer !== undefined || this.closed || this.options.evaluateEveryMs === 0) return
    this.timer = setInterval(() => {
      this.evaluateAlerts().catch((err: unknown) =>
        this.options.logger?.warn({ err }, 'vectorkit: alert evaluation failed'),
      )
    }, this.options.evaluateEveryMs)
    this.timer.unref()
  }

  recordShadow(comparison: ShadowComparison): void {
    this.shadow.record(comparison)
  }

  recordShadowRead(comparison: ShadowComparison): void {
    this.shadow.record(comparison)
  }

  async serveMetrics(options?: ServeMetricsOptions): Promise<MetricsServer> {
    const server = await serveMetrics(this, options)
    this.servers.add(server)
    this.startEvaluating()
    return server
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true
      if (this.timer) clearInterval(this.timer)
      this.timer = undefined
      await Promise.all([...this.servers].map((s) => s.close()))
      for (const name of this.metricNames) this.registry.removeSingleMetric(name)
    }
    await this.inner.close()
  }
}

/**
 * Wraps any store with latency histograms (HDR, per operation and collection), counters,
 * gauges, aggregated health, Prometheus export, alert rules and slow-operation logging. See
 * {@link MonitorOptions} for every option and `docs/monitoring.md` for the metric names.
 *
 * @example
 * ```ts
 * import { withMonitor } from '@vectorkit/monitor'
 * const store = withMonitor(withCache(await MemoryStore.open()), { logger: pino() })
 * store.alerts.on('alert', (e) => console.warn(e.message))
 * await store.serveMetrics({ port: 9464 })
 * ```
 */
export function withMonitor(store: VectorStore, options?: MonitorOptions): MonitoredStore {
  if (store === null || typeof store !== 'object' || typeof store.collection !== 'function')
    throw new VectorStoreError('VALIDATION', 'withMonitor: store must be a VectorStore')
  return new MonitoredStoreImpl(store, options)
}
