import type { Collection, VectorStore } from '@vectorkit/core'

/**
 * A store whose every method returns at once: what is left of a monitored call is the monitor's
 * own cost. It satisfies the contract's shape only as far as the bench calls it.
 */
export function makeNoopStore(dim: number): VectorStore {
  const spec = { dimensions: dim, metric: 'cosine' as const, index: { type: 'flat' as const } }
  const col: Collection = {
    name: 'noop',
    spec,
    upsert: async () => {},
    get: async () => [],
    delete: async () => 0,
    search: async () => [],
    count: async () => 0,
    scan: async function* () {},
    stats: async () => ({
      name: 'noop',
      dimensions: dim,
      metric: 'cosine',
      count: 0,
      index: spec.index,
      tombstones: 0,
      bytes: 0,
    }),
  }
  return {
    backend: 'noop',
    capabilities: {
      exactSearch: true,
      filters: true,
      scan: true,
      deleteByFilter: true,
      atomicBatches: true,
      hnsw: false,
      quantization: false,
      ttl: false,
      persistence: false,
      changeNotifications: false,
    },
    createCollection: async () => col,
    collection: async () => col,
    listCollections: async () => [{ name: 'noop', spec }],
    dropCollection: async () => {},
    health: async () => ({ status: 'healthy', backend: 'noop', checks: [] }),
    close: async () => {},
  } as VectorStore
}
