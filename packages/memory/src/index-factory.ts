import type { ResolvedCollectionSpec } from '@vectorkit/core'
import { FlatIndex } from './flat-index'
import { HnswIndex } from './hnsw-index'
import { HeapPool, sharedHeapPool } from './kernels/index'
import { QuantizedColumn } from './quantized-column'
import { SlabRowStore } from './slab-row-store'
import { VectorColumn } from './vector-column'
import type { VectorIndex } from './vector-index'

/**
 * Store-wide settings every index is built with. @internal
 *
 * @example
 * ```ts
 * createIndex(spec, 'docs', { seed: 42, forceJs: false })
 * ```
 */
export interface IndexFactoryOptions {
  /** Store seed; each collection derives its own from it and its name. */
  seed: number
  /** Plain-JS distance code instead of WebAssembly SIMD. */
  forceJs: boolean
  /** Rows from which HNSW collections link their graph (default `GRAPH_MIN_ROWS`). */
  graphMinRows?: number
  /** WebAssembly heaps to allocate vectors from (default: the process-wide shared pool). */
  pool?: HeapPool
}

/**
 * FNV-1a of the name mixed into the store seed, so collections get distinct, stable streams.
 *
 * @example
 * ```ts
 * collectionSeed(42, 'docs') // a stable u32
 * ```
 */
export function collectionSeed(storeSeed: number, name: string): number {
  let h = 0x811c9dc5 ^ storeSeed
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  return h >>> 0
}

let jsPool: HeapPool | undefined

/** One process-wide pool with the plain-JS kernels, for stores opened with `forceJsKernels`. */
function fallbackPool(): HeapPool {
  jsPool ??= new HeapPool({ forceFallback: true })
  return jsPool
}

/**
 * Builds the index a resolved spec asks for.
 *
 * @internal
 *
 * @example
 * ```ts
 * const index = createIndex(resolveSpec({ dimensions: 3, metric: 'l2', index: { type: 'hnsw' } }), 'docs', { seed: 1, forceJs: false })
 * ```
 */
export function createIndex(
  spec: ResolvedCollectionSpec,
  name: string,
  options: IndexFactoryOptions,
): VectorIndex {
  const pool = options.pool ?? (options.forceJs ? fallbackPool() : sharedHeapPool())
  const column = new VectorColumn(spec.metric, new SlabRowStore(spec.dimensions, pool))
  if (spec.index.type === 'hnsw') {
    const seed = collectionSeed(options.seed, name)
    if (spec.index.quantization === 'none')
      return new HnswIndex(spec.index, column, seed, options.graphMinRows)
    const q = new QuantizedColumn(spec.metric, spec.dimensions, column, pool, spec.index.rerank)
    return new HnswIndex(spec.index, q, seed, options.graphMinRows)
  }
  return new FlatIndex(column)
}
