/**
 * `@vectorkit/monitor`: metrics, health, Prometheus export and alerts for any vectorkit store.
 *
 * @example
 * ```ts
 * import { withMonitor } from '@vectorkit/monitor'
 * const store = withMonitor(await MemoryStore.open())
 * await store.serveMetrics({ port: 9464 })
 * ```
 */

export type { AlertRulesOptions, Thresholds } from './alert-rules'
export { SERVER_ERROR_CODES } from './alert-rules'
export type { ActiveAlert, AlertEvent, AlertRuleName, AlertSeverity, OperationEvent } from './events'
export { AlertEmitter, MONITOR_CHANNELS } from './events'
export { httpStatusOf } from './health'
export type { LatencyQuantiles } from './latency-window'
export { withMonitor } from './monitored-store'
export type { MetricsSnapshot, MonitoredStore, OperationSnapshot } from './monitored-types'
export { createNoopStore } from './noop-store'
export type { Clock, MonitorLogger, MonitorOptions } from './options'
export type { PoolFacts } from './pool-facts'
export { extractPools } from './pool-facts'
export type { CacheStatsLike } from './prometheus'
export type { OperationName } from './recorder'
export type { MetricsServer, ServableStore, ServeMetricsOptions } from './serve-metrics'
export { serveMetrics } from './serve-metrics'
export type { ShadowComparison, ShadowSnapshot } from './shadow'
