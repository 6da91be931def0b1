import { type Collection, type VectorStore, VectorStoreError } from '@vectorkit/core'

/** Counts and faults injected around a real store, to play a secondary that goes down. */
export interface Switch {
  down: boolean
  /** Fail the upsert with this 1-based call number (a simulated crash mid-copy). */
  failUpsertAt?: number
  upsertCalls: number
  upsertedRecords: number
}

const COLLECTION_METHODS = new Set(['upsert', 'get', 'delete', 'search', 'count', 'stats'])
const STORE_METHODS = new Set(['createCollection', 'collection', 'listCollections', 'dropCollection'])

function wrapCollection(col: Collection, sw: Switch): Collection {
  return new Proxy(col, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof value !== 'function') return value
      if (prop === 'scan')
        return (...args: unknown[]) => {
          if (sw.down) throw new VectorStoreError('CONNECTION', 'switched off')
          return value.apply(target, args)
        }
      if (!COLLECTION_METHODS.has(String(prop))) return value.bind(target)
      return async (...args: unknown[]) => {
        if (sw.down) throw new VectorStoreError('CONNECTION', 'switched off')
        if (prop === 'upsert') {
          sw.upsertCalls++
          if (sw.failUpsertAt === sw.upsertCalls) throw new VectorStoreError('CONNECTION', 'crash mid-copy')
          const out = await value.apply(target, args)
          sw.upsertedRecords += (args[0] as unknown[]).length
          return out
        }
        return value.apply(target, args)
      }
    },
  })
}

/** Wraps `store` so the returned switch can take it down, or crash one upsert. */
export function switchable(store: VectorStore): [VectorStore, Switch] {
  const sw: Switch = { down: false, upsertCalls: 0, upsertedRecords: 0 }
  const wrapped = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target)
      if (typeof value !== 'function') return value
      if (prop === 'health')
        return async () =>
          sw.down
            ? {
                status: 'unhealthy',
                backend: target.backend,
                checks: [{ name: 'switch', status: 'unhealthy' }],
              }
            : value.apply(target)
      if (!STORE_METHODS.has(String(prop))) return value.bind(target)
      return async (...args: unknown[]) => {
        if (sw.down) throw new VectorStoreError('CONNECTION', 'switched off')
        const out = await value.apply(target, args)
        return prop === 'collection' || prop === 'createCollection'
          ? wrapCollection(out as Collection, sw)
          : out
      }
    },
  })
  return [wrapped, sw]
}
