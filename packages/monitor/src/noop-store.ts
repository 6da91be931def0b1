import type {
  Capabilities,
  Collection,
  CollectionInfo,
  CollectionSpec,
  HealthReport,
  Metadata,
  ResolvedCollectionSpec,
  SearchHit,
  VectorRecord,
  VectorStore,
} from '@vectorkit/core'
import { resolveSpec, VectorStoreError, validateCollectionName } from '@vectorkit/core'

const EMPTY_HITS: SearchHit[] = []
const EMPTY_RECORDS: VectorRecord[] = []

/**
 * A store that does nothing as fast as possible: every collection exists, searches return no
 * hits, writes are dropped. It measures what a decorator costs per call (`bench` compares
 * `withMonitor(createNoopStore())` with `createNoopStore()`); it is not a real backend and does
 * not pass the conformance suite.
 *
 * @example
 * ```ts
 * const bare = createNoopStore()
 * const monitored = withMonitor(createNoopStore())
 * const col = await monitored.collection('bench')
 * await col.search([0, 0, 0]) // [] — time it against the bare store
 * ```
 */
export function createNoopStore(options: { dimensions?: number } = {}): VectorStore {
  const spec: ResolvedCollectionSpec = resolveSpec({ dimensions: options.dimensions ?? 3, metric: 'l2' })
  const capabilities: Capabilities = {
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
  }
  let closed = false
  const open = (): void => {
    if (closed) throw new VectorStoreError('CLOSED', 'the no-op store is closed')
  }
  const make = (name: string): Collection<Metadata> => ({
    name,
    spec,
    search: async () => {
      open()
      return EMPTY_HITS
    },
    upsert: async () => {
      open()
    },
    get: async () => {
      open()
      return EMPTY_RECORDS
    },
    delete: async () => {
      open()
      return 0
    },
    count: async () => {
      open()
      return 0
    },
    scan: () => ({
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<VectorRecord[]>> => {
          open()
          return { done: true, value: undefined }
        },
      }),
    }),
    stats: async () => {
      open()
      return {
        name,
        dimensions: spec.dimensions,
        metric: spec.metric,
        count: 0,
        index: spec.index,
        tombstones: 0,
        bytes: 0,
      }
    },
  })
  return {
    backend: 'noop',
    capabilities,
    async createCollection<M extends Metadata>(name: string, s: CollectionSpec): Promise<Collection<M>> {
      open()
      resolveSpec(s)
      return make(validateCollectionName(name)) as unknown as Collection<M>
    },
    async collection<M extends Metadata>(name: string): Promise<Collection<M>> {
      open()
      return make(validateCollectionName(name)) as unknown as Collection<M>
    },
    async listCollections(): Promise<CollectionInfo[]> {
      open()
      return []
    },
    async dropCollection() {
      open()
    },
    async health(): Promise<HealthReport> {
      return { status: 'healthy', backend: 'noop', checks: [] }
    },
    async close() {
      closed = true
    },
  }
}
