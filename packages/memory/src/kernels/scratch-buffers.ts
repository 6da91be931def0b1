import type { WasmHeap } from './wasm-heap'

/** The scratch regions a heap keeps for searches. */
export type ScratchSlot = 'query' | 'out' | 'ids'

/**
 * Per-heap reusable regions for a query vector, kernel outputs and id lists, so a search
 * allocates nothing per call. Each slot grows geometrically and independently: asking for a
 * bigger `out` never moves `query`.
 *
 * Contents are only meaningful until the next request for the same slot on the same heap by
 * anyone. JS is single-threaded and kernels are synchronous, so this is safe as long as a
 * caller does not `await` between filling a slot and reading the results.
 *
 * @example
 * ```ts
 * const q = heap.scratch.get('query', slab.rowBytes)
 * const out = heap.scratch.get('out', rows * 4)
 * ```
 */
export class ScratchBuffers {
  private readonly ptrs: Record<ScratchSlot, number> = { query: 0, out: 0, ids: 0 }
  private readonly sizes: Record<ScratchSlot, number> = { query: 0, out: 0, ids: 0 }

  constructor(private readonly heap: WasmHeap) {}

  /**
   * Pointer to at least `bytes` bytes (16-byte aligned, contents unspecified) for `slot`.
   * May grow the memory, so re-read typed-array views of the heap afterwards.
   */
  get(slot: ScratchSlot, bytes: number): number {
    if (bytes <= this.sizes[slot]) return this.ptrs[slot]
    const size = Math.max(bytes, this.sizes[slot] * 2, 256)
    if (this.ptrs[slot] !== 0) this.heap.free(this.ptrs[slot])
    this.ptrs[slot] = 0
    this.sizes[slot] = 0
    // Prefer room to grow into; settle for the exact size when the heap is nearly full.
    let ptr = this.heap.tryAlloc(size)
    if (ptr === undefined) ptr = this.heap.alloc(bytes, 'scratch buffer')
    this.ptrs[slot] = ptr
    this.sizes[slot] = this.heap.sizeOf(ptr) ?? bytes
    return ptr
  }

  /** Bytes currently held by all slots. */
  get bytes(): number {
    return this.sizes.query + this.sizes.out + this.sizes.ids
  }
}
