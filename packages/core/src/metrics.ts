import { validationError } from './errors'
import { compareIds } from './ids'
import type { Metric, SearchHit } from './types'

/**
 * Dot product of two equal-length vectors (plain JS; backends use faster kernels).
 *
 * @example
 * ```ts
 * dot([1, 2], [3, 4]) // 11
 * ```
 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b)
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

/** Squared Euclidean distance. */
export function squaredL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b)
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!
    s += d * d
  }
  return s
}

/** Euclidean norm. */
export function norm(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * a[i]!
  return Math.sqrt(s)
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw validationError(`vectors differ in length: ${a.length} and ${b.length}`)
}

/**
 * Cosine similarity in [-1, 1]. Throws `VALIDATION` for a zero vector.
 *
 * @example
 * ```ts
 * cosineSimilarity([1, 0], [1, 1]) // 0.7071…
 * ```
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = norm(a)
  const nb = norm(b)
  if (na === 0 || nb === 0) throw validationError('cosine similarity of a zero vector is undefined')
  return dot(a, b) / (na * nb)
}

/**
 * A unit-length copy of `v` as a Float32Array. Throws `VALIDATION` for a zero vector.
 *
 * @example
 * ```ts
 * normalize([3, 4]) // Float32Array [0.6, 0.8]
 * ```
 */
export function normalize(v: ArrayLike<number>): Float32Array {
  const n = norm(v)
  if (n === 0) throw validationError('cannot normalize a zero vector')
  const out = new Float32Array(v.length)
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n
  return out
}

/**
 * The distance of the metric, as defined in {@link SearchHit}: `1 - cos`, `-dot`, or Euclidean.
 *
 * @example
 * ```ts
 * distance('l2', [0, 0], [3, 4]) // 5
 * ```
 */
export function distance(metric: Metric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  switch (metric) {
    case 'cosine':
      return 1 - cosineSimilarity(a, b)
    case 'dot':
      return -dot(a, b)
    case 'l2':
      return Math.sqrt(squaredL2(a, b))
  }
}

/**
 * Converts a distance to the score of the same metric (higher is closer).
 *
 * @example
 * ```ts
 * scoreFromDistance('cosine', 0.25) // 0.75
 * scoreFromDistance('l2', 1)        // 0.5
 * ```
 */
export function scoreFromDistance(metric: Metric, d: number): number {
  switch (metric) {
    case 'cosine':
      return 1 - d
    case 'dot':
      return d === 0 ? 0 : -d
    case 'l2':
      return 1 / (1 + d)
  }
}

/** The score of `a` against `b` under a metric (cosine similarity, dot, or `1 / (1 + l2)`). */
export function similarity(metric: Metric, a: ArrayLike<number>, b: ArrayLike<number>): number {
  return scoreFromDistance(metric, distance(metric, a, b))
}

/**
 * Scores one query against many vectors (plain JS).
 *
 * @example
 * ```ts
 * batchSimilarity([1, 0], [[1, 0], [0, 1]], 'cosine') // Float64Array [1, 0]
 * ```
 */
export function batchSimilarity(
  query: ArrayLike<number>,
  vectors: readonly ArrayLike<number>[],
  metric: Metric = 'cosine',
): Float64Array {
  const out = new Float64Array(vectors.length)
  if (metric === 'cosine') {
    const q = normalize(query)
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i]!
      const n = norm(v)
      if (n === 0) throw validationError(`vectors[${i}] is a zero vector`)
      out[i] = dot(q, v) / n
    }
    return out
  }
  for (let i = 0; i < vectors.length; i++) out[i] = similarity(metric, query, vectors[i]!)
  return out
}

/** Orders hits: closer first, then by id (code point order). */
export function compareHits(
  a: Pick<SearchHit, 'distance' | 'id'>,
  b: Pick<SearchHit, 'distance' | 'id'>,
): number {
  return a.distance < b.distance ? -1 : a.distance > b.distance ? 1 : compareIds(a.id, b.id)
}
