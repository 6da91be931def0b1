import { blockTooLarge } from './errors'
import { HEAP_RESERVED_BYTES, MAX_HEAP_BYTES, WASM_PAGE_BYTES, WasmHeap } from './wasm-heap'

/** An empty heap up to this size is kept when it is the pool's last one (see {@link HeapPool}). */
export const KEEP_WARM_BYTES = 64 * 1024 * 1024

/**
 * Sizes of a {@link HeapPool}, for stats and health reports.
 *
 * @example
 * ```ts
 * const { reservedBytes, allocatedBytes } = sharedHeapPool().usage()
 * ```
 */
export interface HeapPoolUsage {
  /** Number of heaps (WebAssembly memories). */
  heaps: number
  /** Sum of the heaps' current memory sizes: what the process holds, used or not. */
  reservedBytes: number
  /** Bytes in live blocks, scratch buffers included. */
  allocatedBytes: number
}

/**
 * Options of {@link HeapPool}.
 *
 * @example
 * ```ts
 * new HeapPool({ maxHeapBytes: 256 << 20 }) // segments of at most 256 MiB
 * ```
 */
export interface HeapPoolOptions {
  /** Size limit of each heap (segment); at most and by default 4 GiB, the wasm32 limit. */
  maxHeapBytes?: number
  /** Initial size of each new heap. Default 1 MiB. */
  initialHeapBytes?: number
  /** Create heaps with the plain-JS kernels even where SIMD is available. */
  forceFallback?: boolean
}

/**
 * A block handed out by a {@link HeapPool}: `ptr` is only meaningful in `heap`.
 *
 * @example
 * ```ts
 * const block = pool.alloc(4096)
 * block.heap.f32.fill(0, block.ptr >>> 2, (block.ptr + 4096) >>> 2)
 * pool.free(block)
 * ```
 */
export interface HeapBlock {
  readonly heap: WasmHeap
  readonly ptr: number
  /** Usable size (the request rounded up to 16). */
  readonly bytes: number
}

/**
 * A set of {@link WasmHeap}s that many collections share. Each `WebAssembly.Memory`
 * reserves a large virtual range (V8 reserves guard regions around every memory), so one
 * memory per collection does not scale to thousands of collections; a pool fills one heap up
 * to its limit (4 GiB by default) and only then opens another.
 *
 * A heap that no longer holds any pool block is dropped and its memory left to the garbage
 * collector, unless it is the pool's only heap and at most {@link KEEP_WARM_BYTES} big (so a
 * create/drop loop does not churn memories). This matters because WebAssembly memories cannot
 * shrink: a heap's resident size stays at its high-water mark for as long as it lives.
 *
 * @example
 * ```ts
 * const pool = sharedHeapPool()
 * const block = pool.alloc(100 * 768 * 4)
 * block.heap.kernels.dotF32(block.ptr, block.ptr, 768)
 * ```
 */
export class HeapPool {
  private readonly list: WasmHeap[] = []
  private readonly liveBlocks = new Map<WasmHeap, number>()
  private readonly options: Required<HeapPoolOptions>

  constructor(options: HeapPoolOptions = {}) {
    this.options = {
      maxHeapBytes: options.maxHeapBytes ?? MAX_HEAP_BYTES,
      initialHeapBytes: options.initialHeapBytes ?? 1024 * 1024,
      forceFallback: options.forceFallback ?? false,
    }
  }

  /** The heaps currently in the pool, oldest first. */
  get heaps(): readonly WasmHeap[] {
    return this.list
  }

  /** Current sizes; cheap (sums over the few heaps). */
  usage(): HeapPoolUsage {
    let reservedBytes = 0
    let allocatedBytes = 0
    for (const heap of this.list) {
      reservedBytes += heap.byteLength
      allocatedBytes += heap.allocatedBytes
    }
    return { heaps: this.list.length, reservedBytes, allocatedBytes }
  }

  /** The largest block any heap of this pool can hold. */
  get maxBlockBytes(): number {
    return Math.floor(this.options.maxHeapBytes / WASM_PAGE_BYTES) * WASM_PAGE_BYTES - HEAP_RESERVED_BYTES
  }

  /** Whether heaps of this pool use the JS fallback kernels. */
  get forceFallback(): boolean {
    return this.options.forceFallback
  }

  /**
   * Allocates `bytes` in `prefer` if it fits there (so a growing collection stays in its
   * heap), else in the first heap with room, else in a new heap. Throws `RESOURCE_EXHAUSTED`
   * (a `VectorStoreError`) when a single heap could never hold the block.
   */
  alloc(bytes: number, prefer?: WasmHeap, what = 'block'): HeapBlock {
    if (bytes > this.maxBlockBytes) throw blockTooLarge(bytes, this.maxBlockBytes, what)
    if (prefer !== undefined && this.liveBlocks.has(prefer)) {
      const ptr = prefer.tryAlloc(bytes)
      if (ptr !== undefined) return this.track(prefer, ptr)
    }
    for (const heap of this.list) {
      if (heap === prefer) continue
      const ptr = heap.tryAlloc(bytes)
      if (ptr !== undefined) return this.track(heap, ptr)
    }
    const heap = this.newHeap()
    return this.track(heap, heap.alloc(bytes, what))
  }

  /** Returns a block to its heap; drops the heap if it held nothing else (see class docs). */
  free(block: HeapBlock): void {
    block.heap.free(block.ptr)
    const n = (this.liveBlocks.get(block.heap) ?? 1) - 1
    this.liveBlocks.set(block.heap, n)
    if (n === 0) this.dropIfEmpty(block.heap)
  }

  /**
   * Resizes a block in place when its heap allows it; returns the new block or `undefined`
   * (and the caller allocates elsewhere and copies).
   */
  tryResize(block: HeapBlock, bytes: number): HeapBlock | undefined {
    if (!block.heap.tryResize(block.ptr, bytes)) return undefined
    return { heap: block.heap, ptr: block.ptr, bytes: block.heap.sizeOf(block.ptr) ?? bytes }
  }

  /**
   * Moves `block` to one of `bytes`, keeping its first `keepBytes` bytes: in place when its
   * heap allows, else into a new block (same heap preferred) followed by a copy and a free.
   * The returned block may be in another heap; `block` must not be used afterwards.
   */
  realloc(block: HeapBlock, bytes: number, keepBytes: number, what = 'block'): HeapBlock {
    const resized = this.tryResize(block, bytes)
    if (resized !== undefined) return resized
    const next = this.alloc(bytes, block.heap, what)
    const end = block.ptr + Math.min(keepBytes, block.bytes, next.bytes)
    // Views are read after alloc, which may have grown (and detached) the memory.
    if (next.heap === block.heap) next.heap.u8.copyWithin(next.ptr, block.ptr, end)
    else next.heap.u8.set(block.heap.u8.subarray(block.ptr, end), next.ptr)
    this.free(block)
    return next
  }

  private track(heap: WasmHeap, ptr: number): HeapBlock {
    this.liveBlocks.set(heap, (this.liveBlocks.get(heap) ?? 0) + 1)
    return { heap, ptr, bytes: heap.sizeOf(ptr) ?? 0 }
  }

  private newHeap(): WasmHeap {
    const heap = new WasmHeap({
      maxBytes: this.options.maxHeapBytes,
      initialBytes: this.options.initialHeapBytes,
      forceFallback: this.options.forceFallback,
    })
    this.list.push(heap)
    this.liveBlocks.set(heap, 0)
    return heap
  }

  private dropIfEmpty(heap: WasmHeap): void {
    if ((this.liveBlocks.get(heap) ?? 0) > 0) return
    if (this.list.length === 1 && heap.byteLength <= KEEP_WARM_BYTES) return
    const i = this.list.indexOf(heap)
    if (i >= 0) this.list.splice(i, 1)
    this.liveBlocks.delete(heap)
  }
}

let shared: HeapPool | undefined

/**
 * The process-wide pool used when a {@link VectorSlab} is created without one. Created on
 * first use, with 4 GiB heaps and SIMD kernels where supported.
 *
 * @example
 * ```ts
 * const slab = new VectorSlab({ dim: 768, pool: sharedHeapPool() })
 * ```
 */
export function sharedHeapPool(): HeapPool {
  shared ??= new HeapPool()
  return shared
}
