import type { Collection, CollectionSpec, Filter, VectorStore } from '@vectorkit/core'
import type { Dataset, FilterName } from '../datasets/index'
import { tick } from './peers'
import { type BuildContext, hitRows, queryViews, type SearchRequest, SystemUnavailable } from './types'

/** vectorkit filters for the bench's filter variants (metadata `{ bucket: 0..99 }`). */
export const VECTORKIT_FILTERS: Record<FilterName, Filter | undefined> = {
  none: undefined,
  'sel-1pct': { bucket: { $eq: 0 } },
  'sel-10pct': { bucket: { $lt: 10 } },
}

/** Rows per upsert call while building. */
export const BUILD_BATCH = 1000

type AnyModule = Record<string, unknown>

async function importOptional(name: string): Promise<AnyModule | undefined> {
  try {
    return (await import(name)) as AnyModule
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return undefined
    throw err
  }
}

/**
 * Opens an empty in-memory store through the public API: `MemoryStore.open()` (or its
 * constructor). A package that does not export it yet is "skipped", any other failure is an error.
 *
 * @example
 * ```ts
 * const store = await openMemoryStore()
 * ```
 */
export async function openMemoryStore(options: Record<string, unknown> = {}): Promise<VectorStore> {
  const mod = await importOptional('@vectorkit/memory')
  const MemoryStore = mod?.MemoryStore as
    | ({ open?: (o?: unknown) => Promise<VectorStore> } & (new (o?: unknown) => VectorStore))
    | undefined
  if (!MemoryStore) throw new SystemUnavailable('skipped: @vectorkit/memory does not export MemoryStore yet')
  if (typeof MemoryStore.open === 'function') return MemoryStore.open(options)
  return new MemoryStore(options)
}

/** `withCache` from @vectorkit/cache, or "skipped" while that package is empty. */
export async function loadWithCache(): Promise<
  (store: VectorStore, options?: Record<string, unknown>) => VectorStore
> {
  const mod = await importOptional('@vectorkit/cache')
  const fn = mod?.withCache
  if (typeof fn !== 'function')
    throw new SystemUnavailable('skipped: @vectorkit/cache does not export withCache yet')
  return fn as (store: VectorStore, options?: Record<string, unknown>) => VectorStore
}

/** `withMonitor` from @vectorkit/monitor, or "skipped" while that package is empty. */
export async function loadWithMonitor(): Promise<
  (store: VectorStore, options?: Record<string, unknown>) => VectorStore
> {
  const mod = await importOptional('@vectorkit/monitor')
  const fn = mod?.withMonitor
  if (typeof fn !== 'function')
    throw new SystemUnavailable('skipped: @vectorkit/monitor does not export withMonitor yet')
  return fn as (store: VectorStore, options?: Record<string, unknown>) => VectorStore
}

/** The module itself, for optional exports such as a registry type. */
export { importOptional }

/**
 * Fills a collection with the dataset in batches of {@link BUILD_BATCH}, ids the decimal row
 * numbers and metadata `{ bucket }` (for the filtered suite).
 */
export async function fillCollection(
  col: Collection,
  ds: Dataset,
  ctx: BuildContext,
  label: string,
): Promise<void> {
  for (let start = 0; start < ds.n; start += BUILD_BATCH) {
    const end = Math.min(ds.n, start + BUILD_BATCH)
    const batch = []
    for (let r = start; r < end; r++) {
      batch.push({
        id: String(r),
        vector: ds.base.subarray(r * ds.dim, (r + 1) * ds.dim),
        metadata: { bucket: ds.buckets[r]! },
      })
    }
    await col.upsert(batch)
    ctx.progress(label, end, ds.n)
    await tick()
  }
}

/** A built vectorkit collection wrapped as a system instance: every query is `collection.search()`. */
export function collectionInstance(col: Collection, ds: Dataset, close: () => Promise<void>) {
  const views = queryViews(ds)
  return {
    async search(qi: number, req: SearchRequest) {
      const filter = VECTORKIT_FILTERS[req.filter ?? 'none']
      const hits = await col.search(views[qi]!, {
        k: req.k,
        ...(req.efSearch === undefined ? {} : { efSearch: req.efSearch }),
        ...(filter === undefined ? {} : { filter }),
        ...(req.exact ? { exact: true } : {}),
      })
      return hitRows(hits)
    },
    close,
  }
}

/** Index specs of the vectorkit memory systems (m 16 / efConstruction 64, as the native peer). */
export const MEMORY_SPECS: Record<string, CollectionSpec['index']> = {
  'vectorkit-memory-flat': { type: 'flat' },
  'vectorkit-memory-hnsw': { type: 'hnsw', m: 16, efConstruction: 64, efSearch: 40 },
  'vectorkit-memory-hnsw-int8': {
    type: 'hnsw',
    m: 16,
    efConstruction: 64,
    efSearch: 40,
    quantization: 'int8',
    rerank: false,
  },
  'vectorkit-memory-hnsw-int8-rerank': {
    type: 'hnsw',
    m: 16,
    efConstruction: 64,
    efSearch: 40,
    quantization: 'int8',
    rerank: true,
  },
}
