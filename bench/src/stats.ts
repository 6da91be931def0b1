/**
 * Recall, latency percentiles and the "at equal recall" interpolation. Pure functions, tested in
 * bench/test.
 */

/**
 * Mean recall@k: per query, the share of the true top-k (ignoring -1 padding) found in the
 * returned ids. A query whose true set is empty counts as recall 1.
 *
 * @example
 * ```ts
 * recallAtK([[0, 1]], Int32Array.from([0, 2]), 2) // 0.5
 * ```
 */
export function recallAtK(results: ArrayLike<number>[], truth: Int32Array, k: number): number {
  let sum = 0
  for (let q = 0; q < results.length; q++) {
    const want = new Set<number>()
    for (let i = 0; i < k; i++) {
      const t = truth[q * k + i]!
      if (t >= 0) want.add(t)
    }
    if (want.size === 0) {
      sum += 1
      continue
    }
    let hit = 0
    const got = results[q]!
    const seen = new Set<number>()
    for (let i = 0; i < Math.min(k, got.length); i++) {
      const id = got[i]!
      if (want.has(id) && !seen.has(id)) hit++
      seen.add(id)
    }
    sum += hit / want.size
  }
  return results.length === 0 ? 0 : sum / results.length
}

/**
 * Percentile by linear interpolation between closest ranks (the "R-7" definition).
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 0.5) // 2.5
 * ```
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  const pos = (sorted.length - 1) * p
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo)
}

/** Median of a list. */
export function median(values: ArrayLike<number>): number {
  return percentile(values, 0.5)
}

/** One point of a recall/throughput curve. */
export interface CurvePoint {
  recall: number
  qps: number
}

/**
 * The peer's QPS at `recall`, interpolated linearly in (recall, log QPS) between the two
 * neighbouring points of its curve. `undefined` outside the curve's recall range: the bench
 * never extrapolates. Where the curve is not monotonic, the best QPS reaching that recall wins
 * (the usual Pareto frontier of ann-benchmarks).
 *
 * @example
 * ```ts
 * qpsAtRecall([{ recall: 0.9, qps: 1000 }, { recall: 1, qps: 100 }], 0.95) // ≈ 316
 * ```
 */
export function qpsAtRecall(curve: CurvePoint[], recall: number): number | undefined {
  const pts = paretoFrontier(curve)
  if (pts.length === 0) return undefined
  const first = pts[0]!
  const last = pts[pts.length - 1]!
  if (recall < first.recall - 1e-12 || recall > last.recall + 1e-12) return undefined
  if (pts.length === 1) return first.qps
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!
    const b = pts[i]!
    if (recall <= b.recall + 1e-12) {
      if (b.recall === a.recall) return Math.max(a.qps, b.qps)
      const t = Math.min(1, Math.max(0, (recall - a.recall) / (b.recall - a.recall)))
      return Math.exp(Math.log(a.qps) + t * (Math.log(b.qps) - Math.log(a.qps)))
    }
  }
  return last.qps
}

/** Points sorted by recall where no other point has both higher recall and higher QPS. */
export function paretoFrontier(curve: CurvePoint[]): CurvePoint[] {
  const sorted = curve
    .filter((p) => Number.isFinite(p.recall) && p.qps > 0)
    .sort((a, b) => b.recall - a.recall || b.qps - a.qps)
  const out: CurvePoint[] = []
  let bestQps = -1
  for (const p of sorted) {
    if (p.qps > bestQps) {
      out.push(p)
      bestQps = p.qps
    }
  }
  return out.reverse()
}
