import type { Collection } from '@vectorkit/core'
import { overlapAtK, seededRandom } from '../util/overlap'

/**
 * Options of the checks {@link migrate} runs at the end.
 *
 * @example
 * ```ts
 * await migrate(a, b, { verify: { samples: 50, k: 10, minOverlap: 0.9 } })
 * ```
 */
export interface VerifyOptions {
  /** Records whose vectors are used as queries on both stores. Default 20. */
  samples?: number
  /** Hits compared per query. Default 10. */
  k?: number
  /**
   * Mean overlap@k below which the verification fails. Default 0: the overlap is reported but
   * only counts decide, because an approximate (HNSW) target legitimately differs a little.
   */
  minOverlap?: number
}

/**
 * The checks on one collection after a copy.
 *
 * @example
 * ```ts
 * { sourceCount: 1000, targetCount: 1000, countsMatch: true, samples: 20, k: 10, overlapAtK: 0.985, ok: true }
 * ```
 */
export interface CollectionVerification {
  sourceCount: number
  targetCount: number
  countsMatch: boolean
  /** Queries actually run (fewer than asked when the collection is small). */
  samples: number
  k: number
  /** Mean overlap@k of target hits against source hits over the sample queries. */
  overlapAtK: number
  /** Lowest overlap@k of one query. */
  minOverlapAtK: number
  ok: boolean
  ms: number
}

/**
 * Reservoir sample of vectors seen while streaming: memory bounded by the sample size.
 *
 * @example
 * ```ts
 * const sampler = new Sampler(20, 42)
 * for (const r of batch) sampler.offer(r.vector)
 * ```
 */
export class Sampler {
  readonly vectors: Float32Array[] = []
  private seen = 0
  private readonly rand: () => number

  constructor(
    readonly size: number,
    seed: number,
  ) {
    this.rand = seededRandom(seed)
  }

  offer(vector: Float32Array | number[]): void {
    this.seen++
    if (this.vectors.length < this.size) {
      this.vectors.push(Float32Array.from(vector))
      return
    }
    const j = Math.floor(this.rand() * this.seen)
    if (j < this.size) this.vectors[j] = Float32Array.from(vector)
  }
}

/**
 * Compares counts and search results of a source and a target collection.
 *
 * @example
 * ```ts
 * const v = await verifyCollection(sourceDocs, targetDocs, sampler, { k: 10 })
 * if (!v.countsMatch) console.warn(v)
 * ```
 */
export async function verifyCollection(
  source: Collection,
  target: Collection,
  sampler: Sampler,
  options: VerifyOptions,
): Promise<CollectionVerification> {
  const t0 = performance.now()
  const want = options.samples ?? 20
  const k = options.k ?? 10
  const queries = sampler.vectors.slice(0, want)
  // A resumed or skipped copy saw only part of the data; top up from the start of the source.
  if (queries.length < want) {
    for await (const batch of source.scan({ batchSize: Math.max(1, want) })) {
      for (const r of batch) if (queries.length < want) queries.push(Float32Array.from(r.vector))
      break
    }
  }
  const [sourceCount, targetCount] = await Promise.all([source.count(), target.count()])
  let sum = 0
  let min = 1
  for (const q of queries) {
    const [a, b] = await Promise.all([source.search(q, { k }), target.search(q, { k })])
    const o = overlapAtK(
      a.map((h) => h.id),
      b.map((h) => h.id),
      k,
    )
    sum += o
    min = Math.min(min, o)
  }
  const overlap = queries.length > 0 ? sum / queries.length : 1
  const countsMatch = sourceCount === targetCount
  return {
    sourceCount,
    targetCount,
    countsMatch,
    samples: queries.length,
    k,
    overlapAtK: overlap,
    minOverlapAtK: queries.length > 0 ? min : 1,
    ok: countsMatch && overlap >= (options.minOverlap ?? 0),
    ms: performance.now() - t0,
  }
}
