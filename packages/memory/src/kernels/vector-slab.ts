import { blockTooLarge } from './errors'
import { type HeapBlock, type HeapPool, sharedHeapPool } from './heap-pool'
import type { Kernels } from './kernels'
import {
  KERNEL_NAMES,
  MAX_I8_DIM,
  rowLayout,
  type ScoreArray,
  type SlabMetric,
  type VectorKind,
} from './row-layout'
import type { WasmHeap } from './wasm-heap'

/**
 * Options of {@link VectorSlab}.
 *
 * @example
 * ```ts
 * new VectorSlab({ dim: 768, kind: 'i8', initialCapacity: 1024, pool: sharedHeapPool() })
 * ```
 */
export interface VectorSlabOptions {
  /** Dimensions of each vector (>= 1; at most {@link MAX_I8_DIM} for `i8`). */
  dim: number
  /** Element type; default `'f32'`. */
  kind?: VectorKind
  /** Rows to allocate up front; default 8. Capacity grows on demand either way. */
  initialCapacity?: number
  /** Pool to allocate from; default {@link sharedHeapPool}. */
  pool?: HeapPool
}

/**
 * The vectors of one collection: `capacity` rows of `rowBytes` bytes, contiguous in one
 * WebAssembly heap, 16-byte aligned, each row zero-padded to `paddedDim` (a multiple of 4
 * floats or 16 bytes), which is the layout the kernels expect.
 *
 * Rows `0 .. size-1` are live; `size` is one past the highest row written. Writing past the
 * capacity grows it geometrically (allocate, copy, free) without the caller noticing, except
 * for one rule:
 *
 * **After anything that can grow the slab (`write`, `append`, `ensureCapacity`, `copyRow`
 * to a new row), re-read `ptr()`, `base`, `heap` and `kernels`, and re-load the query
 * (`loadQuery`)**: the rows may have moved, possibly into another heap. Pointers are stable
 * between growths; typed-array views of the heap must be re-read after any allocation.
 *
 * Search helpers (`loadQuery`, `scan`, `gather`) use the heap's shared scratch buffers, so
 * their results are valid until the next search call on any slab of the same heap: read
 * them synchronously (no `await` in between).
 *
 * @example
 * ```ts
 * const slab = new VectorSlab({ dim: 3 })
 * slab.append([1, 0, 0])
 * slab.append([0, 1, 0])
 * const q = slab.loadQuery([1, 0, 0])
 * const scores = slab.scan('dot', q) // Float32Array [1, 0]
 * ```
 */
export class VectorSlab {
  /** Dimensions of each vector. */
  readonly dim: number
  /** Element type. */
  readonly kind: VectorKind
  /** `dim` rounded up to a multiple of 4 (f32) or 16 (i8); the kernels' `paddedDim`. */
  readonly paddedDim: number
  /** Bytes per row: `paddedDim * 4` (f32) or `paddedDim` (i8). */
  readonly rowBytes: number
  /** The pool this slab allocates from. */
  readonly pool: HeapPool

  private block: HeapBlock | undefined
  private cap = 0
  private count = 0

  constructor(options: VectorSlabOptions) {
    const kind = options.kind ?? 'f32'
    const layout = rowLayout(options.dim, kind)
    this.dim = options.dim
    this.kind = kind
    this.paddedDim = layout.paddedDim
    this.rowBytes = layout.rowBytes
    this.pool = options.pool ?? sharedHeapPool()
    const rows = Math.max(1, Math.ceil(options.initialCapacity ?? 8))
    this.checkRows(rows)
    this.block = this.pool.alloc(rows * this.rowBytes, undefined, 'vector slab')
    this.cap = rows
  }

  /** Rows allocated. */
  get capacity(): number {
    return this.cap
  }

  /** Live rows: one past the highest row written (or as set by {@link VectorSlab.truncate}). */
  get size(): number {
    return this.count
  }

  /** Bytes allocated for the rows. */
  get bytes(): number {
    return this.block?.bytes ?? 0
  }

  /** Whether {@link VectorSlab.release} was called. */
  get released(): boolean {
    return this.block === undefined
  }

  /** The heap holding the rows now (may change when the slab grows). */
  get heap(): WasmHeap {
    return this.live().heap
  }

  /** Kernels of {@link VectorSlab.heap}: use them with pointers from this slab and this heap only. */
  get kernels(): Kernels {
    return this.live().heap.kernels
  }

  /** Pointer to row 0 (valid until the slab grows). */
  get base(): number {
    return this.live().ptr
  }

  /** Pointer to `row` (valid until the slab grows). Not bounds-checked: keep `row < capacity`. */
  ptr(row: number): number {
    return this.block!.ptr + row * this.rowBytes
  }

  /** Makes room for at least `rows` rows, preserving contents; may move the rows. */
  ensureCapacity(rows: number): void {
    if (rows <= this.cap) return
    const old = this.live()
    const maxRows = this.checkRows(rows)
    // Doubling while small, 1.5x when large: amortised O(1) appends without doubling 3 GiB.
    const grown = this.cap < 65_536 ? this.cap * 2 : Math.ceil(this.cap * 1.5)
    const newCap = Math.min(maxRows, Math.max(rows, grown, 8))
    this.block = this.pool.realloc(old, newCap * this.rowBytes, this.count * this.rowBytes, 'vector slab')
    this.cap = newCap
  }

  /**
   * Writes `vector` (exactly `dim` numbers) to `row`, zeroing the row's padding; grows the
   * capacity if needed. Rows skipped over (when `row > size`) are zero-filled. For `i8`
   * slabs the values must already be integers in [-128, 127] (they are stored with JS's
   * Int8Array conversion, which wraps).
   */
  write(row: number, vector: ArrayLike<number>): void {
    if (vector.length !== this.dim) {
      throw new RangeError(`VectorSlab.write: expected ${this.dim} values, got ${vector.length}`)
    }
    if (!Number.isInteger(row) || row < 0) throw new RangeError(`VectorSlab.write: bad row ${row}`)
    if (row >= this.cap) this.ensureCapacity(row + 1)
    const heap = this.live().heap
    if (row > this.count) heap.u8.fill(0, this.ptr(this.count), this.ptr(row))
    this.writePadded(heap, this.ptr(row), vector)
    if (row >= this.count) this.count = row + 1
  }

  /** Writes `vector` to row `size` and returns that row. */
  append(vector: ArrayLike<number>): number {
    const row = this.count
    this.write(row, vector)
    return row
  }

  /** A copy of row `row` as float32 (int8 values as numbers for `i8` slabs). */
  read(row: number): Float32Array {
    return this.readInto(row, new Float32Array(this.dim))
  }

  /** Copies row `row` into `out` (length >= `dim`) and returns `out`. */
  readInto(row: number, out: Float32Array): Float32Array {
    this.checkRow(row)
    const p = this.ptr(row)
    const heap = this.live().heap
    if (this.kind === 'f32') out.set(heap.f32.subarray(p >>> 2, (p >>> 2) + this.dim))
    else out.set(heap.i8.subarray(p, p + this.dim))
    return out
  }

  /** Copies row `from` over row `to` (e.g. to fill a deleted row with the last one). */
  copyRow(from: number, to: number): void {
    this.checkRow(from)
    if (!Number.isInteger(to) || to < 0) throw new RangeError(`VectorSlab.copyRow: bad row ${to}`)
    if (to >= this.cap) this.ensureCapacity(to + 1)
    const heap = this.live().heap
    if (to > this.count) heap.u8.fill(0, this.ptr(this.count), this.ptr(to))
    heap.u8.copyWithin(this.ptr(to), this.ptr(from), this.ptr(from) + this.rowBytes)
    if (to >= this.count) this.count = to + 1
  }

  /** Sets `size` to `rows` (<= size), forgetting the rows after it. Keeps the capacity. */
  truncate(rows: number): void {
    if (!Number.isInteger(rows) || rows < 0 || rows > this.count) {
      throw new RangeError(
        `VectorSlab.truncate: rows must be an integer from 0 to ${this.count}, got ${rows}`,
      )
    }
    this.count = rows
  }

  /**
   * Copies a query (exactly `dim` numbers; int8 values for `i8` slabs) zero-padded into the
   * heap's query scratch and returns its pointer, for `scan`, `gather`, `score` or the raw
   * kernels. Valid until the next `loadQuery` on this heap or until this slab grows.
   */
  loadQuery(vector: ArrayLike<number>): number {
    if (vector.length !== this.dim) {
      throw new RangeError(`VectorSlab.loadQuery: expected ${this.dim} values, got ${vector.length}`)
    }
    const heap = this.live().heap
    const q = heap.scratch.get('query', this.rowBytes)
    this.writePadded(heap, q, vector)
    return q
  }

  /**
   * Scores rows `start .. start+count-1` against the query at pointer `query` (same heap)
   * with one kernel call. Returns a view of the heap's output scratch, `result[i]` being
   * row `start + i`: read it before the next search call on this heap, or copy it.
   */
  scan(metric: SlabMetric, query: number, start = 0, count = this.count - start): ScoreArray {
    if (start < 0 || count < 0 || start + count > this.count) {
      throw new RangeError(
        `VectorSlab.scan: rows ${start}..${start + count - 1} outside 0..${this.count - 1}`,
      )
    }
    const heap = this.live().heap
    const out = heap.scratch.get('out', count * 4)
    heap.kernels[KERNEL_NAMES[this.kind][metric].scan](query, this.ptr(start), this.rowBytes, count, out)
    return this.kind === 'f32'
      ? new Float32Array(heap.memory.buffer, out, count)
      : new Int32Array(heap.memory.buffer, out, count)
  }

  /**
   * Scores the rows listed in `ids` (the first `count` of them) against the query at
   * `query`, with one kernel call. Returns a view of the output scratch, `result[j]` being
   * row `ids[j]` (same validity as {@link VectorSlab.scan}). Ids are checked against `size`.
   */
  gather(metric: SlabMetric, query: number, ids: ArrayLike<number>, count = ids.length): ScoreArray {
    const heap = this.live().heap
    const idsPtr = heap.scratch.get('ids', count * 4)
    const out = heap.scratch.get('out', count * 4)
    const u32 = heap.u32
    const at = idsPtr >>> 2
    for (let j = 0; j < count; j++) {
      const id = ids[j]!
      if (!(id >= 0 && id < this.count))
        throw new RangeError(`VectorSlab.gather: row ${id} outside 0..${this.count - 1}`)
      u32[at + j] = id
    }
    heap.kernels[KERNEL_NAMES[this.kind][metric].gather](
      query,
      this.ptr(0),
      this.rowBytes,
      idsPtr,
      count,
      out,
    )
    return this.kind === 'f32'
      ? new Float32Array(heap.memory.buffer, out, count)
      : new Int32Array(heap.memory.buffer, out, count)
  }

  /** One score: the query at `query` against `row` (not bounds-checked; keep `row < size`). */
  score(metric: SlabMetric, query: number, row: number): number {
    return this.block!.heap.kernels[KERNEL_NAMES[this.kind][metric].one](query, this.ptr(row), this.paddedDim)
  }

  /** Frees the rows. Idempotent; any other use afterwards throws. */
  release(): void {
    if (this.block === undefined) return
    this.pool.free(this.block)
    this.block = undefined
    this.cap = 0
    this.count = 0
  }

  /** Stores `vector` at `p` in this slab's element type and zeroes the padding after it. */
  private writePadded(heap: WasmHeap, p: number, vector: ArrayLike<number>): void {
    if (this.kind === 'f32') {
      const f32 = heap.f32
      const at = p >>> 2
      f32.set(vector, at)
      f32.fill(0, at + this.dim, at + this.paddedDim)
    } else {
      const i8 = heap.i8
      i8.set(vector, p)
      i8.fill(0, p + this.dim, p + this.paddedDim)
    }
  }

  private live(): HeapBlock {
    if (this.block === undefined) throw new Error('VectorSlab: used after release()')
    return this.block
  }

  private checkRow(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.count) {
      throw new RangeError(`VectorSlab: row ${row} outside 0..${this.count - 1}`)
    }
  }

  /** Throws RESOURCE_EXHAUSTED if `rows` rows can never fit one heap; returns the most that can. */
  private checkRows(rows: number): number {
    const maxRows = Math.floor(this.pool.maxBlockBytes / this.rowBytes)
    if (rows > maxRows) {
      throw blockTooLarge(
        rows * this.rowBytes,
        this.pool.maxBlockBytes,
        `collection of ${rows} rows x ${this.rowBytes} bytes`,
      )
    }
    return maxRows
  }
}
