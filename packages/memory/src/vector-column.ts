import type { Metric } from '@vectorkit/core'
import type { RowStore } from './row-store'

/**
 * What the HNSW loops need to score rows: load a query, then rounds of "write row numbers to
 * `ids[idsOffset + j]`, `gather(count)`, read ranking distances from `out[outOffset + j]`".
 * The views are valid until the next `prepare` (nothing else in a search allocates).
 *
 * @internal
 *
 * @example
 * ```ts
 * scorer.prepare(query, 32)
 * scorer.ids[scorer.idsOffset] = 7
 * scorer.gather(1)
 * const d = scorer.out[scorer.outOffset]
 * ```
 */
export interface Scorer {
  prepare(query: Float32Array, maxIds: number): void
  gather(count: number): void
  readonly ids: Uint32Array
  readonly idsOffset: number
  readonly out: Float32Array
  readonly outOffset: number
  /** Ranking distance between two stored rows. */
  pairDistance(a: number, b: number): number
}

/**
 * The vectors of a collection as the indexes use them: a {@link Scorer} plus storage.
 * {@link VectorColumn} keeps float32; `QuantizedColumn` keeps int8 (and float32 for rerank).
 *
 * @internal
 *
 * @example
 * ```ts
 * column.ensureCapacity(1)
 * column.write(0, Float32Array.of(1, 2, 3))
 * column.prepare(Float32Array.of(1, 2, 3), 1)
 * column.scan(1) // column.out[column.outOffset] is the ranking distance of row 0
 * ```
 */
export interface Column extends Scorer {
  readonly capacity: number
  /** Bytes of vectors and per-row data. */
  readonly bytes: number
  /** True when scoring runs as WebAssembly SIMD. */
  readonly simd: boolean
  ensureCapacity(rows: number): void
  write(row: number, vector: Float32Array): void
  /** The stored vector of a row (a copy; dequantized when only int8 is kept). */
  read(row: number): Float32Array
  /** Ranking distances of rows `0 .. n-1` into `out[outOffset ..]` (`prepare(q, n)` first). */
  scan(n: number): void
  toPublic(d: number): number
  /** The scorer graph construction uses (the float vectors while they are kept). */
  readonly buildScorer: Scorer
  /** Set when hits found on approximate distances must be re-scored: exact float distances. */
  readonly rerankScorer: Scorer | undefined
  /** Called after each write batch with the rows in use and their states (1 = live). */
  afterBatch(rows: number, state: Uint8Array): void
  /** Facts for `CollectionStats.details`. */
  details(): Record<string, unknown>
  /** Plain-data copy of rows `0 .. rows-1` (internal; for persistence). */
  exportState(rows: number): ColumnState
  /** Restores {@link Column.exportState} output into a fresh column of the same spec. */
  importState(state: ColumnState, rows: number): void
  release(): void
}

/**
 * Float32 vectors as exported: unpadded rows as bytes, plus `1 / ‖x‖` per row for cosine.
 *
 * @example
 * ```ts
 * const state: FloatColumnState = column.exportState(rows)
 * ```
 */
export interface FloatColumnState {
  kind: 'f32'
  vectors: Uint8Array
  invNorm: Float32Array
}

/**
 * Int8 vectors as exported: the float part while floats are kept (rerank, or before
 * calibration), and the calibrated int8 part once calibrated.
 *
 * @example
 * ```ts
 * const state = quantized.exportState(rows) // { kind: 'int8', float: null, int8: { rows, rowNorm, offset, step } }
 * ```
 */
export interface QuantizedColumnState {
  kind: 'int8'
  float: FloatColumnState | null
  int8: { rows: Int8Array; rowNorm: Float32Array; offset: Float32Array; step: Float32Array } | null
}

/** What {@link Column.exportState} returns. */
export type ColumnState = FloatColumnState | QuantizedColumnState

/**
 * The vectors of a collection plus the metric: scores rows against a query as *ranking
 * distances* (lower is closer) that the indexes compare, and turns them into the public
 * distance of `@vectorkit/core`'s convention at the end.
 *
 * | metric | ranking distance | public distance |
 * | --- | --- | --- |
 * | cosine | `1 - dot(q̂, x) / ‖x‖` | the same, clamped to [0, 2] |
 * | dot | `-dot(q, x)` | the same |
 * | l2 | `‖q - x‖²` | `√` of it |
 *
 * Vectors are stored as given (so `get` returns them unchanged); cosine keeps `1 / ‖x‖` per
 * row instead of normalising the stored copy.
 *
 * @internal
 *
 * @example
 * ```ts
 * const col = new VectorColumn('cosine', new JsRowStore(3))
 * col.ensureCapacity(1)
 * col.write(0, Float32Array.of(1, 0, 0))
 * ```
 */
export class VectorColumn implements Column {
  readonly rerankScorer = undefined
  readonly dim: number
  /** `1 / ‖x‖` per row (cosine only; empty otherwise). */
  invNorm: Float32Array
  private readonly mode: 0 | 1 | 2
  private readonly scratch: Float32Array

  constructor(
    readonly metric: Metric,
    readonly store: RowStore,
  ) {
    this.dim = store.dim
    this.mode = metric === 'l2' ? 0 : metric === 'dot' ? 1 : 2
    this.invNorm = new Float32Array(metric === 'cosine' ? store.capacity : 0)
    this.scratch = new Float32Array(this.dim)
  }

  get capacity(): number {
    return this.store.capacity
  }

  get simd(): boolean {
    return this.store.simd
  }

  get buildScorer(): Scorer {
    return this
  }

  afterBatch(): void {}

  details(): Record<string, unknown> {
    return { vectorBytes: this.bytes, simd: this.store.simd }
  }

  release(): void {
    this.store.release()
  }

  exportState(rows: number): FloatColumnState {
    return {
      kind: 'f32',
      vectors: this.store.exportRows(rows),
      invNorm: this.invNorm.slice(0, Math.min(rows, this.invNorm.length)),
    }
  }

  importState(state: ColumnState, rows: number): void {
    if (state.kind !== 'f32') throw new Error(`a float32 column cannot import ${state.kind} state`)
    this.store.importRows(state.vectors, rows)
    this.ensureCapacity(rows)
    if (state.invNorm.length > 0) this.invNorm.set(state.invNorm)
  }

  get ids(): Uint32Array {
    return this.store.ids
  }

  get idsOffset(): number {
    return this.store.idsOffset
  }

  get out(): Float32Array {
    return this.store.out
  }

  get outOffset(): number {
    return this.store.outOffset
  }

  /** Bytes used by vectors and norms. */
  get bytes(): number {
    return this.store.bytes + this.invNorm.byteLength
  }

  ensureCapacity(rows: number): void {
    this.store.ensureCapacity(rows)
    if (this.mode === 2 && this.invNorm.length < this.store.capacity) {
      const next = new Float32Array(this.store.capacity)
      next.set(this.invNorm)
      this.invNorm = next
    }
  }

  write(row: number, vector: Float32Array): void {
    this.store.write(row, vector)
    if (this.mode === 2) {
      let s = 0
      for (let i = 0; i < vector.length; i++) s += vector[i]! * vector[i]!
      this.invNorm[row] = 1 / Math.sqrt(s)
    }
  }

  /** A fresh copy of the stored vector of `row`. */
  read(row: number): Float32Array {
    const out = new Float32Array(this.dim)
    this.store.read(row, out)
    return out
  }

  /** Loads a query for {@link VectorColumn.gather} / {@link VectorColumn.scan}. */
  prepare(query: Float32Array, maxIds: number): void {
    if (this.mode === 2) {
      let s = 0
      for (let i = 0; i < query.length; i++) s += query[i]! * query[i]!
      const inv = 1 / Math.sqrt(s)
      for (let i = 0; i < query.length; i++) this.scratch[i] = query[i]! * inv
      this.store.prepare(this.scratch, maxIds)
    } else {
      this.store.prepare(query, maxIds)
    }
  }

  /** Loads stored row `row` as the query (distances between stored vectors). */
  prepareRow(row: number, maxIds: number): void {
    const v = new Float32Array(this.dim)
    this.store.read(row, v)
    this.prepare(v, maxIds)
  }

  /** Ranking distances of the rows in `store.ids[idsOffset ..]` into `store.out[outOffset ..]`. */
  gather(count: number): void {
    const s = this.store
    if (this.mode === 0) {
      s.gatherL2sq(count)
      return
    }
    s.gatherDot(count)
    const out = s.out
    const o = s.outOffset
    if (this.mode === 1) {
      for (let j = 0; j < count; j++) out[o + j] = -out[o + j]!
    } else {
      const ids = s.ids
      const io = s.idsOffset
      const inv = this.invNorm
      for (let j = 0; j < count; j++) out[o + j] = 1 - out[o + j]! * inv[ids[io + j]!]!
    }
  }

  /** Ranking distances of rows `0 .. n-1` into `store.out[outOffset ..]`. */
  scan(n: number): void {
    const s = this.store
    if (this.mode === 0) {
      s.scanL2sq(n)
      return
    }
    s.scanDot(n)
    const out = s.out
    const o = s.outOffset
    if (this.mode === 1) {
      for (let j = 0; j < n; j++) out[o + j] = -out[o + j]!
    } else {
      const inv = this.invNorm
      for (let j = 0; j < n; j++) out[o + j] = 1 - out[o + j]! * inv[j]!
    }
  }

  /** Ranking distance between two stored rows. */
  pairDistance(a: number, b: number): number {
    if (this.mode === 0) return this.store.pairL2sq(a, b)
    const d = this.store.pairDot(a, b)
    return this.mode === 1 ? -d : 1 - d * this.invNorm[a]! * this.invNorm[b]!
  }

  /** The public distance for a ranking distance. */
  toPublic(d: number): number {
    if (this.mode === 0) return Math.sqrt(Math.max(d, 0))
    if (this.mode === 2) return d < 0 ? 0 : Math.min(d, 2)
    return d
  }
}
