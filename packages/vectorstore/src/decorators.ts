import type { VectorStore } from '@vectorkit/core'
import type { MonitoredStore } from '@vectorkit/monitor'
import type { ResolvedConfig } from './resolve-config'
import type { ShadowRecorder } from './rollout/shadow'

/**
 * Result of {@link applyDecorators}: the outermost store, and the monitor when there is one.
 *
 * @example
 * ```ts
 * const { store, monitor } = await applyDecorators(base, resolveConfig({ monitor: true }), [])
 * ```
 */
export interface Decorated {
  store: VectorStore
  monitor: MonitoredStore | undefined
}

/**
 * Wraps a backend in the cache and the monitor, as configured: `monitor → cache → backend`, so
 * the monitor sees cache hits as fast searches and reports the cache's statistics. Both are
 * imported only when switched on. The monitor also receives the rollout's shadow reads, and
 * serves `/metrics` and `/health` when a metrics port is set (the server closes with the store).
 *
 * @example
 * ```ts
 * const { store } = await applyDecorators(await MemoryStore.open(), resolveConfig({ cache: { max: 100 } }), [])
 * ```
 */
export async function applyDecorators(
  base: VectorStore,
  c: ResolvedConfig,
  recorders: ShadowRecorder[],
): Promise<Decorated> {
  let store = base
  if (c.cache) {
    const { withCache } = await import('@vectorkit/cache')
    store = withCache(store, c.cache)
  }
  if (!c.monitor) return { store, monitor: undefined }
  const { withMonitor } = await import('@vectorkit/monitor')
  const monitor = withMonitor(store, c.monitor)
  recorders.push(monitor)
  if (c.metrics) await monitor.serveMetrics({ host: c.metrics.host, port: c.metrics.port })
  return { store: monitor, monitor }
}
