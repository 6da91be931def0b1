import { Prng } from '../prng'

/**
 * The pinned synthetic clustered set (foundation issue): 100 centres c_j ~ N(0, diag(s)) with
 * s_i = (i+1)^-0.6, points c_j + N(0, 0.35² · diag(s)) around a uniformly chosen centre, then
 * L2-normalised. Queries are held out: drawn from the same distribution with their own seed.
 *
 * Each stream has its own seed so that the first n' rows of an n-row set are exactly the
 * n'-row set (quick runs use a prefix of the full data).
 *
 * @example
 * ```ts
 * const { base } = generateClustered({ n: 1000, nQueries: 10, dim: 768 })
 * ```
 */
export interface ClusteredOptions {
  n: number
  nQueries: number
  /** Default 768. */
  dim?: number
  /** Default 100. */
  centres?: number
  /** Default 0.35. */
  spread?: number
  /** Called every 1,000 rows with the rows generated so far. */
  onProgress?: (done: number, total: number) => void
}

/** Seeds of the pinned set. Changing any of them changes every cached ground truth. */
export const CLUSTERED_SEEDS = { centres: 0x5eed0001, base: 0x5eed0002, queries: 0x5eed0003 } as const

/** Generates the pinned clustered set: row-major Float32Arrays of unit vectors. */
export function generateClustered(opts: ClusteredOptions): { base: Float32Array; queries: Float32Array } {
  const dim = opts.dim ?? 768
  const nCentres = opts.centres ?? 100
  const spread = opts.spread ?? 0.35
  const sd = new Float64Array(dim)
  for (let i = 0; i < dim; i++) sd[i] = Math.sqrt((i + 1) ** -0.6)
  const centres = new Float64Array(nCentres * dim)
  const crng = new Prng(CLUSTERED_SEEDS.centres)
  for (let j = 0; j < nCentres; j++) {
    for (let i = 0; i < dim; i++) centres[j * dim + i] = sd[i]! * crng.normal()
  }
  const total = opts.n + opts.nQueries
  let done = 0
  const fill = (rows: number, seed: number): Float32Array => {
    const out = new Float32Array(rows * dim)
    const rng = new Prng(seed)
    const tmp = new Float64Array(dim)
    for (let r = 0; r < rows; r++) {
      const c = rng.int(nCentres) * dim
      let norm = 0
      for (let i = 0; i < dim; i++) {
        const v = centres[c + i]! + spread * sd[i]! * rng.normal()
        tmp[i] = v
        norm += v * v
      }
      const inv = 1 / Math.sqrt(norm)
      const o = r * dim
      for (let i = 0; i < dim; i++) out[o + i] = tmp[i]! * inv
      done++
      if (done % 1000 === 0) opts.onProgress?.(done, total)
    }
    return out
  }
  const base = fill(opts.n, CLUSTERED_SEEDS.base)
  const queries = fill(opts.nQueries, CLUSTERED_SEEDS.queries)
  opts.onProgress?.(total, total)
  return { base, queries }
}
