import { type Metric, VectorStoreError } from '@vectorkit/core'
import { PAIR_SLOTS, PairQueryCache } from './int8-pair-cache'
import { Int8Rescorer } from './int8-rescorer'
import { type HeapBlock, type HeapPool, VectorSlab } from './kernels/index'
import { Calibration } from './quantizer'
import type { Column, ColumnState, QuantizedColumnState, Scorer, VectorColumn } from './vector-column'

/** Rows a collection collects in float32 before it calibrates and switches to int8. */
export const CALIBRATION_ROWS = 1024

/**
 * int8 scalar quantization with per-dimension calibration.
 *
 * Each dimension i gets an offset b_i and a step a_i from the range of the first
 * {@link CALIBRATION_ROWS} vectors; a vector is stored as r_i = round((x_i - b_i) / a_i) in
 * [-127, 127] (1 byte per dimension). A query q is turned into u_i = a_i q_i, quantized with one
 * scale s, so that `x̂ · q = s · (r · t) + Σ b_i q_i` comes from one exact int8 dot kernel call per
 * row; squared L2 adds the stored ‖x̂‖² and ‖q‖².
 *
 * Until calibration the column works on float32 only (the graph is built on exact distances).
 * With `rerank` the float32 vectors are kept: graph construction and the final ordering use
 * them, int8 only speeds up traversal and scans. Without it they are dropped after
 * calibration, and vectors read back are the dequantized approximations.
 *
 * @internal
 *
 * @example
 * ```ts
 * const col = new QuantizedColumn('cosine', 768, floatColumn, sharedHeapPool(), false)
 * col.afterBatch(rows, state) // calibrates once 1,024 rows are live
 * ```
 */
export class QuantizedColumn implements Column {
  ids: Uint32Array = new Uint32Array(0)
  idsOffset = 0
  out: Float32Array = new Float32Array(0)
  outOffset = 0
  private float: VectorColumn | undefined
  private slab: VectorSlab | undefined
  private cal: Calibration | undefined
  /** ‖x̂‖² per row (l2 only). */
  private rowNorm = new Float32Array(0)
  private block: HeapBlock | undefined
  private qPtr = 0
  private pairPtr = 0
  private idsPtr = 0
  private outPtr = 0
  private readonly pairs: PairQueryCache
  private rescorer: Int8Rescorer | undefined
  /** Why the last calibration attempt could not allocate its int8 rows (reported in stats). */
  private calibrationError: unknown
  private readonly mode: 0 | 1 | 2
  private readonly qf: Float32Array
  private readonly qi: Int8Array
  private readonly q: { scale: number; bias: number; norm: number } = { scale: 1, bias: 0, norm: 0 }

  constructor(
    readonly metric: Metric,
    readonly dim: number,
    float: VectorColumn,
    private readonly pool: HeapPool,
    readonly rerank: boolean,
  ) {
    this.float = float
    this.mode = metric === 'l2' ? 0 : metric === 'dot' ? 1 : 2
    this.qf = new Float32Array(dim)
    this.pairs = new PairQueryCache(dim)
    this.qi = new Int8Array(dim)
  }

  get calibrated(): boolean {
    return this.cal !== undefined
  }

  get capacity(): number {
    return this.slab?.capacity ?? this.float!.capacity
  }

  get bytes(): number {
    return (this.float?.bytes ?? 0) + (this.slab?.bytes ?? 0) + this.rowNorm.byteLength
  }

  get simd(): boolean {
    return this.slab?.kernels.simd ?? this.float!.simd
  }

  get buildScorer(): Scorer {
    return this.float ?? this
  }

  /**
   * With rerank: the float vectors. Without: exact distances to the dequantized rows, which
   * removes the query's quantization error from the final ordering.
   */
  get rerankScorer(): Scorer | undefined {
    if (this.cal === undefined) return undefined
    if (this.rerank) return this.float
    this.rescorer ??= new Int8Rescorer({
      dim: this.dim,
      mode: this.mode,
      calibration: this.cal,
      i8: () => this.slab!.heap.i8,
      rowPtr: (row) => this.slab!.ptr(row),
      rowNorm: (row) => this.rowNorm[row]!,
    })
    return this.rescorer
  }

  ensureCapacity(rows: number): void {
    this.float?.ensureCapacity(rows)
    if (this.slab === undefined) return
    this.slab.ensureCapacity(rows)
    this.pairs.grow(this.slab.capacity)
    if (this.mode === 0 && this.rowNorm.length < this.slab.capacity) {
      const next = new Float32Array(this.slab.capacity)
      next.set(this.rowNorm)
      this.rowNorm = next
    }
  }

  write(row: number, vector: Float32Array): void {
    this.float?.write(row, vector)
    if (this.cal === undefined) return
    this.pairs.invalidate(row)
    this.ensureCapacity(row + 1)
    const x = this.normalized(vector, this.qf)
    const n = this.cal.quantize(x, this.qi)
    this.slab!.write(row, this.qi)
    if (this.mode === 0) this.rowNorm[row] = n
  }

  read(row: number): Float32Array {
    if (this.float !== undefined) return this.float.read(row)
    const out = new Float32Array(this.dim)
    this.cal!.dequantize(this.slab!.heap.i8, this.slab!.ptr(row), out)
    return out
  }

  /** Calibrates once enough live rows exist, quantizes them, and drops floats without rerank. */
  afterBatch(rows: number, state: Uint8Array): void {
    const float = this.float
    if (this.cal !== undefined || float === undefined) return
    let live = 0
    for (let r = 0; r < rows; r++) if (state[r] === 1) live++
    if (live < CALIBRATION_ROWS) return
    const cal = new Calibration(this.dim)
    for (let r = 0; r < rows; r++) if (state[r] === 1) cal.observe(this.normalized(float.read(r), this.qf))
    cal.finish()
    let slab: VectorSlab
    try {
      slab = new VectorSlab({ dim: this.dim, kind: 'i8', initialCapacity: float.capacity, pool: this.pool })
    } catch (err) {
      this.calibrationError = err
      // Out of WebAssembly memory: stay on float32 (the batch is already applied and must not
      // fail now); calibration is retried after the next batch.
      return
    }
    this.cal = cal
    this.slab = slab
    this.calibrationError = undefined
    this.ensureCapacity(float.capacity)
    // Every row the graph can reach is quantized, tombstones included (they are walked through).
    for (let r = 0; r < rows; r++) {
      if (state[r] === 0) continue
      const n = cal.quantize(this.normalized(float.read(r), this.qf), this.qi)
      slab.write(r, this.qi)
      if (this.mode === 0) this.rowNorm[r] = n
    }
    if (!this.rerank) {
      float.release()
      this.float = undefined
    }
  }

  prepare(query: Float32Array, maxIds: number): void {
    if (this.cal === undefined) {
      this.float!.prepare(query, maxIds)
      this.syncViews(this.float!)
      return
    }
    this.reserve(maxIds)
    const x = this.normalized(query, this.qf)
    this.loadQuery(x, this.qPtr, this.q)
  }

  gather(count: number): void {
    if (this.cal === undefined) {
      this.float!.gather(count)
      return
    }
    const slab = this.slab!
    slab.kernels.gatherDotI8(this.qPtr, slab.base, slab.rowBytes, this.idsPtr, count, this.outPtr)
    this.convert(count, true)
  }

  scan(n: number): void {
    if (this.cal === undefined) {
      this.float!.scan(n)
      return
    }
    const slab = this.slab!
    slab.kernels.scanDotI8(this.qPtr, slab.base, slab.rowBytes, n, this.outPtr)
    this.convert(n, false)
  }

  /**
   * Pair distances without float vectors: one side is taken from the cache of rows prepared as
   * int8 queries (dequantized, rescaled, requantized — a few µs each), so the heuristic's
   * loops over "candidate × kept neighbours" prepare each row about once.
   */
  pairDistance(a: number, b: number): number {
    if (this.float !== undefined) return this.float.pairDistance(a, b)
    const slab = this.slab!
    this.ensureBlock()
    const slot = this.pairs.pick(a, b, slab, this.cal!, this.pairPtr)
    const other = this.pairs.other
    const raw = slab.kernels.dotI8(this.pairPtr + slot * slab.rowBytes, slab.ptr(other), slab.paddedDim)
    const c = this.pairs.consts
    return this.rank(c[slot * 3]! * raw + c[slot * 3 + 1]!, other, c[slot * 3 + 2]!)
  }

  toPublic(d: number): number {
    if (this.mode === 0) return Math.sqrt(Math.max(d, 0))
    if (this.mode === 2) return d < 0 ? 0 : Math.min(d, 2)
    return d
  }

  details(): Record<string, unknown> {
    return {
      vectorBytes: this.bytes,
      int8Bytes: this.slab?.bytes ?? 0,
      floatBytes: this.float?.bytes ?? 0,
      calibrated: this.cal !== undefined,
      ...(this.calibrationError === undefined ? {} : { calibrationError: String(this.calibrationError) }),
      simd: this.simd,
    }
  }

  exportState(rows: number): QuantizedColumnState {
    let int8: QuantizedColumnState['int8'] = null
    const slab = this.slab
    if (this.cal !== undefined && slab !== undefined) {
      const out = new Int8Array(rows * this.dim)
      const i8 = slab.heap.i8
      for (let r = 0; r < rows && r < slab.size; r++)
        out.set(i8.subarray(slab.ptr(r), slab.ptr(r) + this.dim), r * this.dim)
      const { offset, step } = this.cal.exportState()
      int8 = { rows: out, rowNorm: this.rowNorm.slice(0, Math.min(rows, this.rowNorm.length)), offset, step }
    }
    return { kind: 'int8', float: this.float?.exportState(rows) ?? null, int8 }
  }

  importState(state: ColumnState, rows: number): void {
    if (state.kind !== 'int8') throw new Error(`an int8 column cannot import ${state.kind} state`)
    if (state.float !== null) this.float?.importState(state.float, rows)
    if (state.int8 === null) return
    this.cal = Calibration.fromState(state.int8)
    this.slab = new VectorSlab({
      dim: this.dim,
      kind: 'i8',
      initialCapacity: Math.max(rows, 8),
      pool: this.pool,
    })
    this.ensureCapacity(rows)
    for (let r = 0; r < rows; r++)
      this.slab.write(r, state.int8.rows.subarray(r * this.dim, (r + 1) * this.dim))
    if (this.mode === 0) this.rowNorm.set(state.int8.rowNorm)
    if (state.float === null && this.float !== undefined) {
      this.float.release()
      this.float = undefined
    }
  }

  release(): void {
    this.float?.release()
    if (this.block !== undefined) this.pool.free(this.block)
    this.block = undefined
    this.slab?.release()
  }

  private rank(dot: number, row: number, qNorm: number): number {
    if (this.mode === 0) return this.rowNorm[row]! - 2 * dot + qNorm
    return this.mode === 1 ? -dot : 1 - dot
  }

  /** Turns the kernel's int32 dots at `out` into ranking distances, in place. */
  private convert(count: number, gathered: boolean): void {
    const heap = this.slab!.heap
    const i32 = heap.i32
    const f32 = heap.f32
    const o = this.outPtr >>> 2
    const io = this.idsPtr >>> 2
    const ids = heap.u32
    const { scale, bias, norm } = this.q
    const rowNorm = this.rowNorm
    const mode = this.mode
    for (let j = 0; j < count; j++) {
      const dot = scale * i32[o + j]! + bias
      const row = gathered ? ids[io + j]! : j
      f32[o + j] = mode === 0 ? rowNorm[row]! - 2 * dot + norm : mode === 1 ? -dot : 1 - dot
    }
  }

  /** u = a ∘ x quantized with one scale into the int8 query at `ptr`. */
  private loadQuery(x: Float32Array, ptr: number, into: { scale: number; bias: number; norm: number }): void {
    const cal = this.cal!
    let max = 0
    let bias = 0
    let norm = 0
    for (let i = 0; i < this.dim; i++) {
      const u = cal.step[i]! * x[i]!
      if (Math.abs(u) > max) max = Math.abs(u)
      bias += cal.offset[i]! * x[i]!
      norm += x[i]! * x[i]!
    }
    const scale = max === 0 ? 1 : max / 127
    const i8 = this.slab!.heap.i8
    for (let i = 0; i < this.dim; i++) i8[ptr + i] = Math.round((cal.step[i]! * x[i]!) / scale)
    into.scale = scale
    into.bias = bias
    into.norm = norm
  }

  /** Query and pair-query rows of our own (the heap's query scratch holds the float query) plus ids/out. */
  private reserve(maxIds: number): void {
    this.ensureBlock()
    const heap = this.slab!.heap
    const bytes = Math.max(16, maxIds * 4)
    this.idsPtr = heap.scratch.get('ids', bytes)
    this.outPtr = heap.scratch.get('out', bytes)
    this.ids = heap.u32
    this.out = heap.f32
    this.idsOffset = this.idsPtr >>> 2
    this.outOffset = this.outPtr >>> 2
  }

  /** Our two int8 query rows, in the heap the rows live in now (the slab may have moved). */
  private ensureBlock(): void {
    const slab = this.slab!
    const heap = slab.heap
    if (this.block !== undefined && this.block.heap === heap) return
    if (this.block !== undefined) this.pool.free(this.block)
    const bytes = (1 + PAIR_SLOTS) * slab.rowBytes
    const block = this.pool.alloc(bytes, heap, 'int8 query')
    if (block.heap !== heap) {
      // The kernels address one memory: the query rows must sit in the rows' heap.
      this.pool.free(block)
      this.block = undefined
      throw new VectorStoreError(
        'RESOURCE_EXHAUSTED',
        `no room for ${bytes} bytes of int8 query rows in the WebAssembly heap holding this collection (4 GiB limit per heap)`,
      )
    }
    this.block = block
    this.qPtr = block.ptr
    this.pairPtr = block.ptr + slab.rowBytes
    this.pairs.clear()
    // Padding lanes must be zero; loadQuery only writes the first `dim` bytes.
    slab.heap.i8.fill(0, block.ptr, block.ptr + bytes)
  }

  private syncViews(s: Scorer): void {
    this.ids = s.ids
    this.idsOffset = s.idsOffset
    this.out = s.out
    this.outOffset = s.outOffset
  }

  /** `x` scaled to unit length for cosine (into `tmp`), else `x` itself. */
  private normalized(x: Float32Array, tmp: Float32Array): Float32Array {
    if (this.mode !== 2) return x
    let s = 0
    for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!
    const inv = 1 / Math.sqrt(s)
    for (let i = 0; i < x.length; i++) tmp[i] = x[i]! * inv
    return tmp
  }
}
