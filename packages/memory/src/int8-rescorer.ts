import type { Calibration } from './quantizer'
import type { Scorer } from './vector-column'

/**
 * What {@link Int8Rescorer} reads from its quantized column.
 *
 * @example
 * ```ts
 * new Int8Rescorer({ dim, mode: 2, calibration, i8: () => heap.i8, rowPtr: (r) => slab.ptr(r), rowNorm: () => 0 })
 * ```
 */
export interface Int8Rows {
  readonly dim: number
  /** 0 = l2, 1 = dot, 2 = cosine. */
  readonly mode: 0 | 1 | 2
  readonly calibration: Calibration
  /** Signed-byte view of the heap and the byte offset of a row. */
  i8(): Int8Array
  rowPtr(row: number): number
  /** ‖x̂‖² per row (l2). */
  rowNorm(row: number): number
}

/**
 * Exact distances between a float query and the *dequantized* int8 rows, `Σ (a_i r_i + b_i) q_i`,
 * in plain JS. Too slow for a scan, cheap for re-ordering a few dozen candidates: it removes
 * the error of quantizing the query (the larger part of int8's error), so int8 without float
 * vectors still orders its final hits well.
 *
 * @internal
 *
 * @example
 * ```ts
 * rescorer.prepare(query, 40)
 * rescorer.ids.set(candidates)
 * rescorer.gather(candidates.length)
 * ```
 */
export class Int8Rescorer implements Scorer {
  ids = new Uint32Array(64)
  readonly idsOffset = 0
  out = new Float32Array(64)
  readonly outOffset = 0
  private readonly u: Float32Array
  private bias = 0
  private norm = 0

  constructor(private readonly rows: Int8Rows) {
    this.u = new Float32Array(rows.dim)
  }

  prepare(query: Float32Array, maxIds: number): void {
    const { dim, mode, calibration: cal } = this.rows
    let n = 0
    for (let i = 0; i < dim; i++) n += query[i]! * query[i]!
    const inv = mode === 2 ? 1 / Math.sqrt(n) : 1
    let bias = 0
    for (let i = 0; i < dim; i++) {
      const q = query[i]! * inv
      this.u[i] = cal.step[i]! * q
      bias += cal.offset[i]! * q
    }
    this.bias = bias
    this.norm = mode === 2 ? 1 : n
    if (this.ids.length < maxIds) {
      this.ids = new Uint32Array(maxIds)
      this.out = new Float32Array(maxIds)
    }
  }

  gather(count: number): void {
    const { dim, mode } = this.rows
    const i8 = this.rows.i8()
    const u = this.u
    for (let j = 0; j < count; j++) {
      const row = this.ids[j]!
      const p = this.rows.rowPtr(row)
      let s = 0
      for (let i = 0; i < dim; i++) s += u[i]! * i8[p + i]!
      const dot = s + this.bias
      this.out[j] = mode === 0 ? this.rows.rowNorm(row) - 2 * dot + this.norm : mode === 1 ? -dot : 1 - dot
    }
  }

  pairDistance(): number {
    throw new Error('Int8Rescorer scores queries only')
  }
}
