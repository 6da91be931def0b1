/** Metrics the bench's datasets use. */
export type BenchMetric = 'l2' | 'cosine'

/**
 * Exact top-k by a plain typed-array scan, independent of every system under test (so a bug in
 * our own flat index cannot inflate our recall). Distances in float64; ties break by row index,
 * which is also the order of the string ids the systems get ('0', '1', … compared numerically).
 *
 * Four queries are scored per pass over the base so each base row is read once per block: the
 * 100k × 768 ground truth is bound by memory bandwidth rather than by four separate scans.
 *
 * @example
 * ```ts
 * const ids = exactTopK({ base, dim, metric: 'l2', queries, k: 10 })
 * ```
 */
export interface ExactOptions {
  base: Float32Array
  dim: number
  metric: BenchMetric
  queries: Float32Array
  k: number
  /** Only rows where `mask[row]` is 1 are candidates. */
  mask?: Uint8Array
  onProgress?: (done: number, total: number) => void
}

/** Row-major `nQueries × k` row indices (-1 where fewer than k rows are candidates). */
export function exactTopK(opts: ExactOptions): Int32Array {
  const { base, dim, metric, queries, k, mask } = opts
  const n = base.length / dim
  const nq = queries.length / dim
  const out = new Int32Array(nq * k).fill(-1)
  const baseNorms = metric === 'cosine' ? rowNorms(base, dim) : undefined
  const qNorms = metric === 'cosine' ? rowNorms(queries, dim) : undefined
  const dist = new Float64Array(4)
  for (let q0 = 0; q0 < nq; q0 += 4) {
    const m = Math.min(4, nq - q0)
    const tops = Array.from({ length: m }, () => new TopK(k))
    for (let r = 0; r < n; r++) {
      if (mask && mask[r] !== 1) continue
      const ro = r * dim
      if (metric === 'l2') scoreL2(base, ro, queries, q0 * dim, dim, m, dist)
      else {
        scoreDot(base, ro, queries, q0 * dim, dim, m, dist)
        for (let j = 0; j < m; j++) dist[j] = 1 - dist[j]! / (baseNorms![r]! * qNorms![q0 + j]!)
      }
      for (let j = 0; j < m; j++) tops[j]!.offer(dist[j]!, r)
    }
    for (let j = 0; j < m; j++) tops[j]!.writeTo(out, (q0 + j) * k)
    opts.onProgress?.(q0 + m, nq)
  }
  return out
}

function scoreDot(
  b: Float32Array,
  bo: number,
  q: Float32Array,
  qo: number,
  dim: number,
  m: number,
  out: Float64Array,
) {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  const q1 = qo + dim
  const q2 = qo + 2 * dim
  const q3 = qo + 3 * dim
  if (m === 4) {
    for (let i = 0; i < dim; i++) {
      const x = b[bo + i]!
      s0 += x * q[qo + i]!
      s1 += x * q[q1 + i]!
      s2 += x * q[q2 + i]!
      s3 += x * q[q3 + i]!
    }
  } else {
    for (let i = 0; i < dim; i++) {
      const x = b[bo + i]!
      s0 += x * q[qo + i]!
      if (m > 1) s1 += x * q[q1 + i]!
      if (m > 2) s2 += x * q[q2 + i]!
    }
  }
  out[0] = s0
  out[1] = s1
  out[2] = s2
  out[3] = s3
}

function scoreL2(
  b: Float32Array,
  bo: number,
  q: Float32Array,
  qo: number,
  dim: number,
  m: number,
  out: Float64Array,
) {
  for (let j = 0; j < m; j++) {
    let s = 0
    const o = qo + j * dim
    for (let i = 0; i < dim; i++) {
      const d = b[bo + i]! - q[o + i]!
      s += d * d
    }
    out[j] = s
  }
}

function rowNorms(a: Float32Array, dim: number): Float64Array {
  const n = a.length / dim
  const out = new Float64Array(n)
  for (let r = 0; r < n; r++) {
    let s = 0
    for (let i = 0; i < dim; i++) s += a[r * dim + i]! ** 2
    out[r] = Math.sqrt(s)
  }
  return out
}

/** Bounded sorted list: k is 10, so insertion beats a heap. */
class TopK {
  private readonly d: Float64Array
  private readonly ids: Int32Array
  private size = 0
  constructor(private readonly k: number) {
    this.d = new Float64Array(k)
    this.ids = new Int32Array(k)
  }
  offer(dist: number, id: number): void {
    if (this.size === this.k && dist >= this.d[this.k - 1]!) return
    let i = this.size < this.k ? this.size++ : this.k - 1
    while (i > 0 && this.d[i - 1]! > dist) {
      this.d[i] = this.d[i - 1]!
      this.ids[i] = this.ids[i - 1]!
      i--
    }
    this.d[i] = dist
    this.ids[i] = id
  }
  writeTo(out: Int32Array, offset: number): void {
    for (let i = 0; i < this.size; i++) out[offset + i] = this.ids[i]!
  }
}
