import { blockTooLarge, growFailed } from './errors'
import { FreeList } from './free-list'
import { createKernels, type Kernels } from './kernels'
import { ScratchBuffers } from './scratch-buffers'
import { type WasmMemory, webAssembly } from './wasm-api'

/** Bytes in one WebAssembly page. */
export const WASM_PAGE_BYTES = 65_536
/**
 * Largest wasm32 memory: 65,536 pages = 4 GiB. Node 20 (V8 11.3) accepts exactly this as a
 * declared `maximum` (65,537 is rejected) and can grow to it; typed-array views over the
 * whole 4 GiB work.
 */
export const MAX_HEAP_BYTES = 65_536 * WASM_PAGE_BYTES
/** Bytes at address 0 never handed out, so that pointer 0 always means "no block". */
export const HEAP_RESERVED_BYTES = 16
const RESERVED_BYTES = HEAP_RESERVED_BYTES
const DEFAULT_INITIAL_BYTES = 1024 * 1024

/**
 * Options of {@link WasmHeap}.
 *
 * @example
 * ```ts
 * new WasmHeap({ initialBytes: 16 << 20, maxBytes: 1 << 30 })
 * ```
 */
export interface WasmHeapOptions {
  /** Memory size to start with, rounded up to whole 64 KiB pages. Default 1 MiB. */
  initialBytes?: number
  /** Hard size limit, rounded down to whole pages; at most (and default) 4 GiB. */
  maxBytes?: number
  /** Use the plain-JS kernels even where SIMD is available. */
  forceFallback?: boolean
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16

/**
 * One `WebAssembly.Memory`, the kernels instantiated on it, and an allocator for 16-byte
 * aligned blocks (first-fit over a coalescing free list; bookkeeping in JS).
 *
 * Pointers (byte offsets) stay valid until freed: growing the memory never moves data. What
 * growth does invalidate is every `ArrayBuffer` view of the old memory. Never keep a typed
 * array across a call that may allocate; read {@link WasmHeap.f32} (etc.) again: the getters
 * re-create their views only when the memory actually grew, so re-reading is cheap.
 *
 * Most code gets heaps from a {@link HeapPool} rather than constructing them: each memory
 * reserves a large virtual address range, so many collections must share a few heaps.
 *
 * @example
 * ```ts
 * const heap = new WasmHeap()
 * const a = heap.alloc(768 * 4)
 * heap.f32.set(vector, a >>> 2)
 * heap.free(a)
 * ```
 */
export class WasmHeap {
  /** The memory all pointers of this heap refer to. */
  readonly memory: WasmMemory
  /** Kernels bound to {@link WasmHeap.memory}. */
  readonly kernels: Kernels
  /** Size limit of this heap in bytes (a multiple of 64 KiB). */
  readonly maxBytes: number
  /** Reusable query/output/id-list regions for searches on this heap. */
  readonly scratch: ScratchBuffers

  private readonly freeRanges = new FreeList()
  private readonly blocks = new Map<number, number>()
  private allocated = 0
  private buffer: ArrayBuffer | undefined
  private views = {
    u8: new Uint8Array(0),
    i8: new Int8Array(0),
    f32: new Float32Array(0),
    i32: new Int32Array(0),
    u32: new Uint32Array(0),
  }

  constructor(options: WasmHeapOptions = {}) {
    const maxBytes = options.maxBytes ?? MAX_HEAP_BYTES
    if (!(maxBytes >= WASM_PAGE_BYTES && maxBytes <= MAX_HEAP_BYTES)) {
      throw new RangeError(
        `WasmHeap: maxBytes must be between ${WASM_PAGE_BYTES} and ${MAX_HEAP_BYTES}, got ${maxBytes}`,
      )
    }
    const maxPages = Math.floor(maxBytes / WASM_PAGE_BYTES)
    const initialBytes = options.initialBytes ?? DEFAULT_INITIAL_BYTES
    const initialPages = Math.min(maxPages, Math.max(1, Math.ceil(initialBytes / WASM_PAGE_BYTES)))
    this.maxBytes = maxPages * WASM_PAGE_BYTES
    this.memory = new (webAssembly().Memory)({ initial: initialPages, maximum: maxPages })
    this.kernels = createKernels({ memory: this.memory, forceFallback: options.forceFallback ?? false })
    this.freeRanges.add(RESERVED_BYTES, initialPages * WASM_PAGE_BYTES - RESERVED_BYTES)
    this.scratch = new ScratchBuffers(this)
  }

  /** Current memory size in bytes (grows, never shrinks). */
  get byteLength(): number {
    return this.memory.buffer.byteLength
  }

  /** The largest block this heap could ever hand out. */
  get maxBlockBytes(): number {
    return this.maxBytes - RESERVED_BYTES
  }

  /** Bytes in live blocks (sizes rounded up to 16), scratch buffers included. */
  get allocatedBytes(): number {
    return this.allocated
  }

  /** Number of live blocks, scratch buffers included. */
  get blockCount(): number {
    return this.blocks.size
  }

  /** Free bytes inside the current memory (not counting room left to grow). */
  get freeBytes(): number {
    return this.freeRanges.total
  }

  /** Byte view of the whole memory; re-read after anything that may allocate. */
  get u8(): Uint8Array {
    return this.sync().u8
  }
  /** Signed byte view of the whole memory; re-read after anything that may allocate. */
  get i8(): Int8Array {
    return this.sync().i8
  }
  /** Float32 view (index = pointer >>> 2); re-read after anything that may allocate. */
  get f32(): Float32Array {
    return this.sync().f32
  }
  /** Int32 view (index = pointer >>> 2); re-read after anything that may allocate. */
  get i32(): Int32Array {
    return this.sync().i32
  }
  /** Uint32 view (index = pointer >>> 2); re-read after anything that may allocate. */
  get u32(): Uint32Array {
    return this.sync().u32
  }

  private sync(): WasmHeap['views'] {
    const buffer = this.memory.buffer
    if (buffer !== this.buffer) {
      this.buffer = buffer
      this.views = {
        u8: new Uint8Array(buffer),
        i8: new Int8Array(buffer),
        f32: new Float32Array(buffer),
        i32: new Int32Array(buffer),
        u32: new Uint32Array(buffer),
      }
    }
    return this.views
  }

  /**
   * Allocates `bytes` (rounded up to 16), growing the memory if needed. Returns the pointer,
   * or `undefined` when the block cannot fit under {@link WasmHeap.maxBytes}. The block's
   * contents are unspecified (freed blocks are reused as they are).
   */
  tryAlloc(bytes: number): number | undefined {
    const size = align16(Math.max(bytes, 16))
    if (size > this.maxBlockBytes) return undefined
    let ptr = this.freeRanges.take(size)
    if (ptr === undefined) {
      if (!this.growFor(size)) return undefined
      ptr = this.freeRanges.take(size)
      if (ptr === undefined) return undefined
    }
    this.blocks.set(ptr, size)
    this.allocated += size
    return ptr
  }

  /** Like {@link WasmHeap.tryAlloc} but throws `RESOURCE_EXHAUSTED` when the block does not fit. */
  alloc(bytes: number, what = 'block'): number {
    const ptr = this.tryAlloc(bytes)
    if (ptr !== undefined) return ptr
    throw blockTooLarge(align16(bytes), this.largestPossibleBlock(), what)
  }

  /** Returns a block to the heap. Throws on a pointer that is not a live block (double free). */
  free(ptr: number): void {
    const size = this.blocks.get(ptr)
    if (size === undefined) throw new Error(`WasmHeap.free: ${ptr} is not a live block of this heap`)
    this.blocks.delete(ptr)
    this.allocated -= size
    this.freeRanges.add(ptr, size)
  }

  /** Size in bytes of the live block at `ptr`, or `undefined`. */
  sizeOf(ptr: number): number | undefined {
    return this.blocks.get(ptr)
  }

  /**
   * Resizes the live block at `ptr` in place (shrinking, or extending into free space right
   * after it, growing the memory when the block is last). Returns false, changing nothing,
   * when it cannot; the caller then allocates elsewhere and copies.
   */
  tryResize(ptr: number, bytes: number): boolean {
    const old = this.blocks.get(ptr)
    if (old === undefined) throw new Error(`WasmHeap.tryResize: ${ptr} is not a live block of this heap`)
    const size = align16(Math.max(bytes, 16))
    if (size <= old) {
      this.freeRanges.add(ptr + size, old - size)
    } else {
      const end = ptr + old
      const extra = size - old
      if (!this.freeRanges.takeAt(end, extra)) {
        const after = this.freeRanges.sizeStartingAt(end)
        if (end + after !== this.byteLength || ptr + size > this.maxBytes) return false
        if (!this.growFor(extra) || !this.freeRanges.takeAt(end, extra)) return false
      }
    }
    this.blocks.set(ptr, size)
    this.allocated += size - old
    return true
  }

  /** Largest block a fresh allocation could still get (for error messages). */
  private largestPossibleBlock(): number {
    const tail = this.freeRanges.sizeEndingAt(this.byteLength)
    return Math.min(this.maxBlockBytes, tail + (this.maxBytes - this.byteLength))
  }

  /**
   * Grows the memory so that the free range at its end holds `size` bytes: at least double
   * (amortised O(1) growth; untouched pages cost address space, not RAM), capped at maxBytes.
   */
  private growFor(size: number): boolean {
    const end = this.byteLength
    const missing = size - this.freeRanges.sizeEndingAt(end)
    const pages = end / WASM_PAGE_BYTES
    const roomPages = this.maxBytes / WASM_PAGE_BYTES - pages
    const neededPages = Math.ceil(missing / WASM_PAGE_BYTES)
    if (neededPages > roomPages) return false
    let addPages = Math.min(roomPages, Math.max(neededPages, pages))
    try {
      this.memory.grow(addPages)
    } catch (first) {
      // The system may refuse a doubling it would grant at the exact size.
      if (addPages === neededPages) throw growFailed(end, end + addPages * WASM_PAGE_BYTES, first)
      addPages = neededPages
      try {
        this.memory.grow(addPages)
      } catch (second) {
        throw growFailed(end, end + addPages * WASM_PAGE_BYTES, second)
      }
    }
    this.freeRanges.add(end, addPages * WASM_PAGE_BYTES)
    return true
  }
}
