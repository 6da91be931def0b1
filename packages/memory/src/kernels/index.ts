/**
 * WebAssembly SIMD distance kernels and the WebAssembly-memory vector arena of
 * `@vectorkit/memory`.
 *
 * - {@link createKernels} / {@link Kernels}: dot, squared L2 and int8 kernels over one memory,
 *   single, batched (`scan*`) and indexed (`gather*`); plain-JS fallback without SIMD.
 * - {@link WasmHeap}: one memory + kernels + a 16-byte-aligned allocator.
 * - {@link HeapPool} / {@link sharedHeapPool}: heaps shared by many collections (4 GiB each).
 * - {@link VectorSlab}: one collection's padded rows, growing transparently.
 *
 * @example
 * ```ts
 * import { VectorSlab } from './kernels'
 * const slab = new VectorSlab({ dim: 768 })
 * for (const v of vectors) slab.append(v)
 * const scores = slab.scan('dot', slab.loadQuery(query))
 * ```
 */
export { formatBytes } from './errors'
export { FreeList } from './free-list'
export {
  type HeapBlock,
  HeapPool,
  type HeapPoolOptions,
  type HeapPoolUsage,
  KEEP_WARM_BYTES,
  sharedHeapPool,
} from './heap-pool'
export { createFallbackKernels } from './js-fallback'
export { type CreateKernelsOptions, createKernels, detectSimd, type Kernels, simdSupported } from './kernels'
export { KERNELS_WAT_SHA256 } from './kernels.generated'
export {
  KERNEL_NAMES,
  MAX_F32_DIM,
  MAX_I8_DIM,
  type RowLayout,
  rowLayout,
  type ScoreArray,
  type SlabMetric,
  type VectorKind,
} from './row-layout'
export { ScratchBuffers, type ScratchSlot } from './scratch-buffers'
export { VectorSlab, type VectorSlabOptions } from './vector-slab'
export { hasWebAssembly, type WasmApi, type WasmMemory, type WasmModule, webAssembly } from './wasm-api'
export { MAX_HEAP_BYTES, WASM_PAGE_BYTES, WasmHeap, type WasmHeapOptions } from './wasm-heap'
