import { describe, expect, it } from 'vitest'
import { exactTopK } from '../src/datasets/exact'
import { makeBuckets } from '../src/datasets/index'
import { generateClustered } from '../src/datasets/synthetic'
import { Prng } from '../src/prng'

describe('Prng (xoshiro128** + Box-Muller)', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Prng(7)
    const b = new Prng(7)
    const c = new Prng(8)
    const xs = Array.from({ length: 5 }, () => a.u32())
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs)
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs)
  })
  it('gives normals with mean ≈ 0 and variance ≈ 1', () => {
    const r = new Prng(1)
    let s = 0
    let s2 = 0
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const z = r.normal()
      s += z
      s2 += z * z
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03)
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05)
  })
})

describe('the pinned clustered set', () => {
  const small = generateClustered({ n: 300, nQueries: 20, dim: 32 })
  it('is identical across runs', () => {
    const again = generateClustered({ n: 300, nQueries: 20, dim: 32 })
    expect(again.base).toEqual(small.base)
    expect(again.queries).toEqual(small.queries)
  })
  it('has unit-norm rows', () => {
    for (let r = 0; r < 300; r += 37) {
      let s = 0
      for (let i = 0; i < 32; i++) s += small.base[r * 32 + i]! ** 2
      expect(s).toBeCloseTo(1, 5)
    }
  })
  it('is prefix-stable: a smaller set is the start of a bigger one', () => {
    const fewer = generateClustered({ n: 100, nQueries: 20, dim: 32 })
    expect(fewer.base).toEqual(small.base.subarray(0, 100 * 32))
    expect(fewer.queries).toEqual(small.queries)
    expect(makeBuckets(100)).toEqual(makeBuckets(300).subarray(0, 100))
  })
  it('holds queries out of the base', () => {
    expect(small.queries.subarray(0, 32)).not.toEqual(small.base.subarray(0, 32))
  })
})

describe('exactTopK', () => {
  it('matches a brute-force sort for l2 and cosine, with ties by row index, and honours a mask', () => {
    const dim = 5
    const r = new Prng(3)
    const base = Float32Array.from({ length: 60 * dim }, () => Math.round(r.normal() * 2))
    const queries = Float32Array.from({ length: 6 * dim }, () => Math.round(r.normal() * 2) + 0.5)
    const mask = Uint8Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 1 : 0))
    for (const metric of ['l2', 'cosine'] as const) {
      const got = exactTopK({ base, dim, metric, queries, k: 4, mask })
      for (let q = 0; q < 6; q++) {
        const qv = queries.subarray(q * dim, (q + 1) * dim)
        const d = (row: number) => {
          const b = base.subarray(row * dim, (row + 1) * dim)
          if (metric === 'l2') return b.reduce((s, x, i) => s + (x - qv[i]!) ** 2, 0)
          const dot = b.reduce((s, x, i) => s + x * qv[i]!, 0)
          const nb = Math.hypot(...b)
          return nb === 0 ? Number.POSITIVE_INFINITY : 1 - dot / (nb * Math.hypot(...qv))
        }
        const want = [...Array(60).keys()]
          .filter((i) => mask[i] === 1 && Number.isFinite(d(i)))
          .sort((a, b) => d(a) - d(b) || a - b)
          .slice(0, 4)
        expect(Array.from(got.subarray(q * 4, q * 4 + 4))).toEqual(want)
      }
    }
  })
})
