import { type Dataset, FILTERS } from '../datasets/index'
import type { BuildContext, SearchRequest, SystemInstance } from './types'

/**
 * `naive-js-scan`: what applications write today — every vector an `number[]`, score them all,
 * sort the whole array, slice k. Deliberately unoptimised: that is the baseline being measured.
 */
export async function buildNaiveJsScan(ds: Dataset, ctx: BuildContext): Promise<SystemInstance> {
  const rows: { id: number; vector: number[]; bucket: number }[] = []
  for (let r = 0; r < ds.n; r++) {
    rows.push({
      id: r,
      vector: Array.from(ds.base.subarray(r * ds.dim, (r + 1) * ds.dim)),
      bucket: ds.buckets[r]!,
    })
    if (r % 5000 === 0) ctx.progress('build naive-js-scan', r, ds.n)
  }
  const queries = Array.from({ length: ds.nQueries }, (_, q) =>
    Array.from(ds.queries.subarray(q * ds.dim, (q + 1) * ds.dim)),
  )
  const cosine = ds.metric === 'cosine'
  return {
    search(qi: number, req: SearchRequest) {
      const q = queries[qi]!
      const match = FILTERS[req.filter ?? 'none'].match
      const scored: { id: number; score: number }[] = []
      for (const row of rows) {
        if (!match(row.bucket)) continue
        scored.push({ id: row.id, score: cosine ? cosineSim(q, row.vector) : -euclid(q, row.vector) })
      }
      scored.sort((a, b) => b.score - a.score)
      return scored.slice(0, req.k).map((s) => s.id)
    },
    async close() {},
  }
}

function cosineSim(a: number[], b: number[]): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!
    na += a[i]! * a[i]!
    nb += b[i]! * b[i]!
  }
  return dot / (Math.sqrt(na) * Math.sqrt(nb))
}

function euclid(a: number[], b: number[]): number {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    s += d * d
  }
  return Math.sqrt(s)
}

/**
 * `js-float32-scan`: the better-informed app — one contiguous Float32Array, a plain JS loop and
 * a bounded top-k. The exact-scan target of the HNSW issue is stated against this.
 */
export async function buildJsFloat32Scan(ds: Dataset, _ctx: BuildContext): Promise<SystemInstance> {
  const dim = ds.dim
  const data = ds.base.slice()
  const norms = new Float32Array(ds.n)
  for (let r = 0; r < ds.n; r++) {
    let s = 0
    for (let i = 0; i < dim; i++) s += data[r * dim + i]! ** 2
    norms[r] = Math.sqrt(s)
  }
  const cosine = ds.metric === 'cosine'
  return {
    search(qi: number, req: SearchRequest) {
      const q = ds.queries.subarray(qi * dim, (qi + 1) * dim)
      const match = FILTERS[req.filter ?? 'none'].match
      const k = req.k
      const topD = new Float64Array(k).fill(Number.POSITIVE_INFINITY)
      const topI = new Int32Array(k).fill(-1)
      let qn = 0
      for (let i = 0; i < dim; i++) qn += q[i]! * q[i]!
      qn = Math.sqrt(qn)
      for (let r = 0; r < ds.n; r++) {
        if (!match(ds.buckets[r]!)) continue
        const o = r * dim
        let d = 0
        if (cosine) {
          for (let i = 0; i < dim; i++) d += data[o + i]! * q[i]!
          d = 1 - d / (norms[r]! * qn)
        } else {
          for (let i = 0; i < dim; i++) {
            const t = data[o + i]! - q[i]!
            d += t * t
          }
        }
        if (d >= topD[k - 1]!) continue
        let j = k - 1
        while (j > 0 && topD[j - 1]! > d) {
          topD[j] = topD[j - 1]!
          topI[j] = topI[j - 1]!
          j--
        }
        topD[j] = d
        topI[j] = r
      }
      return topI.filter((x) => x >= 0)
    },
    async close() {},
  }
}
