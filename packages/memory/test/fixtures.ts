import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** A seeded generator for test data (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Standard normal samples from a seeded uniform source (Box–Muller). */
export function gaussian(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

/**
 * `n` points in the shape of the bench's pinned synthetic set, scaled down: `centres` centres
 * c ~ N(0, diag(s)) with s_i = (i+1)^-0.6, points c + N(0, 0.35² diag(s)) (seeded). Queries
 * come from the same distribution with another `pointSeed`.
 */
export function clustered(
  n: number,
  dim: number,
  pointSeed: number,
  centres = 50,
  centreSeed = 99,
): Float32Array[] {
  const s = Float64Array.from({ length: dim }, (_, i) => Math.sqrt((i + 1) ** -0.6))
  const gc = gaussian(rng(centreSeed))
  const cs = Array.from({ length: centres }, () => Float64Array.from({ length: dim }, (_, i) => gc() * s[i]!))
  const u = rng(pointSeed)
  const g = gaussian(u)
  return Array.from({ length: n }, () => {
    const c = cs[Math.floor(u() * centres)]!
    return Float32Array.from({ length: dim }, (_, i) => c[i]! + 0.35 * s[i]! * g())
  })
}

const SIFT = fileURLToPath(new URL('../../../../shared/datasets/sift-5k.tsv', import.meta.url))

/** sift-5k: the first 4,500 rows as base, the last 500 as queries. */
export function sift5k(): { base: number[][]; queries: number[][] } {
  if (!existsSync(SIFT)) throw new Error(`sift-5k dataset not found at ${SIFT}`)
  const rows = readFileSync(SIFT, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t').slice(0, 128).map(Number))
  return { base: rows.slice(0, 4500), queries: rows.slice(4500) }
}

/** Mean share of `truth[i]` found in `got[i]`. */
export function recall(got: string[][], truth: string[][]): number {
  let hit = 0
  let total = 0
  for (let i = 0; i < truth.length; i++) {
    const t = new Set(truth[i])
    total += t.size
    for (const id of got[i]!) if (t.has(id)) hit++
  }
  return total === 0 ? 1 : hit / total
}
