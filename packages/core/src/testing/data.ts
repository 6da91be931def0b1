import { expect } from 'vitest'
import { compareIds } from '../ids'
import { cosineSimilarity, distance, scoreFromDistance } from '../metrics'
import type { Metadata, Metric, SearchHit, VectorRecord } from '../types'

/** Absolute tolerance on distances and scores (backends compute in float32). */
export const TOLERANCE = 1e-5

/** A small seeded PRNG (mulberry32), so data is the same on every run and backend. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A vector of float32 values in [-1, 1), never all zero. */
export function randomVector(rand: () => number, dims: number): number[] {
  const v = Array.from({ length: dims }, () => Math.fround(rand() * 2 - 1))
  if (!v.some((x) => x !== 0)) v[0] = 0.5
  return v
}

/** `n` records with ids `prefix000`… and random vectors. */
export function randomRecords(
  n: number,
  dims: number,
  seed: number,
  prefix = 'r',
  metadata?: (i: number) => Metadata,
): VectorRecord[] {
  const rand = prng(seed)
  return Array.from({ length: n }, (_, i) => {
    const r: VectorRecord = { id: `${prefix}${String(i).padStart(3, '0')}`, vector: randomVector(rand, dims) }
    if (metadata) r.metadata = metadata(i)
    return r
  })
}

/** Float32 copy of any vector, for exact comparisons with what a backend stores. */
export function f32(v: ArrayLike<number>): number[] {
  return Array.from(v, (x) => Math.fround(x))
}

/**
 * Asserts a returned vector equals the input as float32 — or, for cosine, points the same way
 * (the contract lets cosine backends store unit vectors).
 */
export function expectSameVector(
  metric: Metric,
  actual: ArrayLike<number> | undefined,
  input: ArrayLike<number>,
) {
  expect(actual, 'vector missing').toBeDefined()
  const a = Array.from(actual!)
  expect(a.length).toBe(input.length)
  if (metric === 'cosine') expect(cosineSimilarity(a, input)).toBeCloseTo(1, 5)
  else expect(a).toEqual(f32(input))
}

/** Metadata as the contract compares it: absent and `{}` are the same. */
export function normMeta(m: Metadata | undefined): Metadata {
  return m ?? {}
}

/** One candidate of a brute-force ranking. */
export interface Truth {
  id: string
  distance: number
  vector: number[]
}

/** Brute-force ranking of `records` against `query`, closer first, ties by id. */
export function groundTruth(
  metric: Metric,
  query: ArrayLike<number>,
  records: readonly VectorRecord[],
): Truth[] {
  const q = f32(query)
  return records
    .map((r) => {
      const vector = f32(r.vector)
      return { id: r.id, vector, distance: distance(metric, q, vector) }
    })
    .sort((a, b) => a.distance - b.distance || compareIds(a.id, b.id))
}

function sameVector(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

/**
 * Asserts `hits` are a correct exact top-k of `truth`: right length, each distance and score
 * within {@link TOLERANCE} of the brute force, ordered by distance, exact duplicates ordered by
 * id, and no better candidate left out. Near-ties (closer than the tolerance) may come in
 * either order, since float32 and float64 round differently.
 */
export function expectTopK(
  metric: Metric,
  hits: readonly SearchHit[],
  truth: readonly Truth[],
  k: number,
): void {
  expect(hits.length, 'number of hits').toBe(Math.min(k, truth.length))
  const byId = new Map(truth.map((t) => [t.id, t]))
  const seen = new Set<string>()
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!
    const t = byId.get(h.id)
    expect(t, `hit ${h.id} is not a candidate`).toBeDefined()
    expect(seen.has(h.id), `hit ${h.id} returned twice`).toBe(false)
    seen.add(h.id)
    expect(
      Math.abs(h.distance - t!.distance),
      `distance of ${h.id}: ${h.distance} vs ${t!.distance}`,
    ).toBeLessThanOrEqual(TOLERANCE)
    expect(
      Math.abs(h.score - scoreFromDistance(metric, h.distance)),
      `score of ${h.id} does not follow the ${metric} convention`,
    ).toBeLessThanOrEqual(TOLERANCE)
    if (i > 0) {
      const p = hits[i - 1]!
      expect(h.distance, `hits out of order at ${i}`).toBeGreaterThanOrEqual(p.distance - TOLERANCE)
      if (sameVector(byId.get(p.id)!.vector, t!.vector))
        expect(compareIds(p.id, h.id), `tie between ${p.id} and ${h.id} not broken by id`).toBeLessThan(0)
    }
  }
  const last = hits[hits.length - 1]
  if (!last) return
  const lastTruth = byId.get(last.id)!
  for (const t of truth) {
    if (seen.has(t.id)) continue
    expect(t.distance, `${t.id} is closer than the last hit ${last.id}`).toBeGreaterThanOrEqual(
      last.distance - TOLERANCE,
    )
    if (sameVector(t.vector, lastTruth.vector))
      expect(compareIds(t.id, last.id), `${t.id} ties with ${last.id} and should win by id`).toBeGreaterThan(
        0,
      )
  }
}

/** Ids in code point order, for set comparisons. */
export function sortedIds(items: readonly { id: string }[]): string[] {
  return items.map((x) => x.id).sort(compareIds)
}
