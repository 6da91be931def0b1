import { type HeapPool, type Kernels, VectorSlab } from './kernels/index'
import type { RowStore } from './row-store'

/**
 * {@link RowStore} on a {@link VectorSlab}: rows in WebAssembly memory, scored by the SIMD
 * kernels. The search protocol writes row numbers straight into the heap's `ids` scratch and
 * calls the raw gather/scan kernels, so a search round is one WebAssembly call with no
 * bounds-checking loop in JS.
 *
 * @internal
 *
 * @example
 * ```ts
 * const rows = new SlabRowStore(768, sharedHeapPool())
 * rows.ensureCapacity(1000)
 * ```
 */
export class SlabRowStore implements RowStore {
  readonly dim: number
  ids: Uint32Array = new Uint32Array(0)
  idsOffset = 0
  out: Float32Array = new Float32Array(0)
  outOffset = 0
  private readonly slab: VectorSlab
  private kernels!: Kernels
  private qPtr = 0
  private idsPtr = 0
  private outPtr = 0
  private base = 0

  constructor(dim: number, pool: HeapPool, initialCapacity = 8) {
    this.dim = dim
    this.slab = new VectorSlab({ dim, kind: 'f32', initialCapacity, pool })
  }

  get capacity(): number {
    return this.slab.capacity
  }

  get bytes(): number {
    return this.slab.bytes
  }

  get simd(): boolean {
    return this.slab.kernels.simd
  }

  ensureCapacity(rows: number): void {
    this.slab.ensureCapacity(rows)
  }

  write(row: number, vector: Float32Array): void {
    this.slab.write(row, vector)
  }

  read(row: number, out: Float32Array): void {
    this.slab.readInto(row, out)
  }

  prepare(query: Float32Array, maxIds: number): void {
    const slab = this.slab
    const heap = slab.heap
    this.qPtr = slab.loadQuery(query)
    const bytes = Math.max(16, maxIds * 4)
    this.idsPtr = heap.scratch.get('ids', bytes)
    this.outPtr = heap.scratch.get('out', bytes)
    // Views last: any scratch allocation above may have grown (and detached) the memory.
    this.ids = heap.u32
    this.out = heap.f32
    this.idsOffset = this.idsPtr >>> 2
    this.outOffset = this.outPtr >>> 2
    this.kernels = heap.kernels
    this.base = slab.base
  }

  gatherDot(count: number): void {
    this.kernels.gatherDotF32(this.qPtr, this.base, this.slab.rowBytes, this.idsPtr, count, this.outPtr)
  }

  gatherL2sq(count: number): void {
    this.kernels.gatherL2sqF32(this.qPtr, this.base, this.slab.rowBytes, this.idsPtr, count, this.outPtr)
  }

  scanDot(n: number): void {
    this.kernels.scanDotF32(this.qPtr, this.base, this.slab.rowBytes, n, this.outPtr)
  }

  scanL2sq(n: number): void {
    this.kernels.scanL2sqF32(this.qPtr, this.base, this.slab.rowBytes, n, this.outPtr)
  }

  pairDot(a: number, b: number): number {
    const s = this.slab
    return s.kernels.dotF32(s.ptr(a), s.ptr(b), s.paddedDim)
  }

  pairL2sq(a: number, b: number): number {
    const s = this.slab
    return s.kernels.l2sqF32(s.ptr(a), s.ptr(b), s.paddedDim)
  }

  exportRows(rows: number): Uint8Array {
    const out = new Float32Array(rows * this.dim)
    const row = new Float32Array(this.dim)
    for (let r = 0; r < rows && r < this.slab.size; r++) out.set(this.slab.readInto(r, row), r * this.dim)
    return new Uint8Array(out.buffer)
  }

  importRows(bytes: Uint8Array, rows: number): void {
    const n = rows * this.dim
    // Opening a persisted store passes hundreds of MB through here (issue 6: open 100k x 768 in
    // <= 2 s): view the snapshot's bytes when aligned instead of copying them first.
    const all =
      bytes.byteOffset % 4 === 0
        ? new Float32Array(bytes.buffer, bytes.byteOffset, n)
        : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + n * 4))
    this.slab.ensureCapacity(rows)
    for (let r = 0; r < rows; r++) this.slab.write(r, all.subarray(r * this.dim, (r + 1) * this.dim))
  }

  release(): void {
    this.slab.release()
  }
}
