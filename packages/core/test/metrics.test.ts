import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  batchSimilarity,
  compareHits,
  cosineSimilarity,
  distance,
  dot,
  isVectorStoreError,
  type Metric,
  norm,
  normalize,
  scoreFromDistance,
  similarity,
  squaredL2,
} from '../src/index'

const METRICS: Metric[] = ['cosine', 'dot', 'l2']
const vec = (n: number) =>
  fc.array(fc.float({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), {
    minLength: n,
    maxLength: n,
  })
const nonZero = (n: number) => vec(n).filter((v) => norm(v) > 1e-3)

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return isVectorStoreError(err) ? err.code : 'other'
  }
  return undefined
}

describe('basic math', () => {
  it('dot, squaredL2, norm', () => {
    expect(dot([1, 2], [3, 4])).toBe(11)
    expect(squaredL2([0, 0], [3, 4])).toBe(25)
    expect(norm([3, 4])).toBe(5)
    expect(code(() => dot([1], [1, 2]))).toBe('VALIDATION')
    expect(code(() => squaredL2([1], [1, 2]))).toBe('VALIDATION')
  })

  it('cosineSimilarity is in [-1, 1], symmetric, scale-invariant, and refuses zero vectors', () => {
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12)
    expect(cosineSimilarity([1, 0], [-2, 0])).toBeCloseTo(-1, 12)
    expect(code(() => cosineSimilarity([0, 0], [1, 0]))).toBe('VALIDATION')
    fc.assert(
      fc.property(
        nonZero(5),
        nonZero(5),
        fc.float({ min: Math.fround(0.01), max: 100, noNaN: true }),
        (a, b, s) => {
          const c = cosineSimilarity(a, b)
          expect(c).toBeGreaterThanOrEqual(-1 - 1e-12)
          expect(c).toBeLessThanOrEqual(1 + 1e-12)
          expect(cosineSimilarity(b, a)).toBeCloseTo(c, 12)
          expect(
            cosineSimilarity(
              a.map((x) => x * s),
              b,
            ),
          ).toBeCloseTo(c, 9)
        },
      ),
      { numRuns: 300, seed: 1 },
    )
  })

  it('normalize returns a unit Float32Array and refuses zero vectors', () => {
    const n = normalize([3, 4])
    expect(n).toBeInstanceOf(Float32Array)
    expect(Array.from(n)).toEqual([Math.fround(0.6), Math.fround(0.8)])
    expect(code(() => normalize([0, 0, 0]))).toBe('VALIDATION')
    fc.assert(
      fc.property(nonZero(6), (v) => {
        expect(norm(normalize(v))).toBeCloseTo(1, 6)
        expect(cosineSimilarity(normalize(v), v)).toBeCloseTo(1, 6)
      }),
      { numRuns: 200, seed: 2 },
    )
  })
})

describe('the score/distance convention', () => {
  it('matches the documented table', () => {
    expect(distance('cosine', [1, 0], [0, 1])).toBeCloseTo(1, 12)
    expect(distance('cosine', [1, 0], [2, 0])).toBeCloseTo(0, 12)
    expect(distance('cosine', [1, 0], [-1, 0])).toBeCloseTo(2, 12)
    expect(distance('dot', [1, 2], [3, 4])).toBe(-11)
    expect(distance('l2', [0, 0], [3, 4])).toBe(5) // Euclidean, not squared
    expect(scoreFromDistance('cosine', 0.25)).toBe(0.75)
    expect(scoreFromDistance('dot', -11)).toBe(11)
    expect(Object.is(scoreFromDistance('dot', 0), 0)).toBe(true) // never -0
    expect(scoreFromDistance('l2', 0)).toBe(1)
    expect(scoreFromDistance('l2', 1)).toBe(0.5)
    expect(scoreFromDistance('l2', 4)).toBe(0.2)
  })

  it('score never increases with distance for any metric, so both orders agree', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...METRICS),
        fc.float({ min: 0, max: 100, noNaN: true }),
        fc.float({ min: 0, max: 100, noNaN: true }),
        (metric, d1, d2) => {
          fc.pre(d1 < d2)
          expect(scoreFromDistance(metric, d1)).toBeGreaterThanOrEqual(scoreFromDistance(metric, d2))
        },
      ),
      { numRuns: 300, seed: 4 },
    )
  })

  it('similarity is scoreFromDistance of distance; cosine score is cosineSimilarity', () => {
    fc.assert(
      fc.property(fc.constantFrom(...METRICS), nonZero(4), nonZero(4), (metric, a, b) => {
        expect(similarity(metric, a, b)).toBeCloseTo(scoreFromDistance(metric, distance(metric, a, b)), 12)
        if (metric === 'cosine') expect(similarity(metric, a, b)).toBeCloseTo(cosineSimilarity(a, b), 12)
        if (metric === 'dot') expect(similarity(metric, a, b)).toBeCloseTo(dot(a, b), 9)
        if (metric === 'l2') expect(distance(metric, a, b) ** 2).toBeCloseTo(squaredL2(a, b), 6)
      }),
      { numRuns: 300, seed: 5 },
    )
  })
})

describe('batchSimilarity', () => {
  it('agrees with similarity for every metric (cosine within float32 rounding)', () => {
    expect(
      Array.from(
        batchSimilarity(
          [1, 0],
          [
            [1, 0],
            [0, 1],
          ],
          'cosine',
        ),
      ),
    ).toEqual([1, 0])
    fc.assert(
      fc.property(
        fc.constantFrom(...METRICS),
        nonZero(8),
        fc.array(nonZero(8), { maxLength: 10 }),
        (metric, q, vs) => {
          const out = batchSimilarity(q, vs, metric)
          expect(out).toBeInstanceOf(Float64Array)
          expect(out.length).toBe(vs.length)
          for (const [i, v] of vs.entries()) {
            const want = similarity(metric, q, v)
            expect(Math.abs(out[i]! - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)))
          }
        },
      ),
      { numRuns: 200, seed: 6 },
    )
  })

  it('defaults to cosine and refuses zero vectors', () => {
    expect(batchSimilarity([2, 0], [[0, 3]])[0]).toBeCloseTo(0, 12)
    expect(code(() => batchSimilarity([0, 0], [[1, 0]]))).toBe('VALIDATION')
    expect(
      code(() =>
        batchSimilarity(
          [1, 0],
          [
            [1, 0],
            [0, 0],
          ],
        ),
      ),
    ).toBe('VALIDATION')
    expect(Array.from(batchSimilarity([0, 0], [[3, 4]], 'l2'))).toEqual([1 / 6])
  })
})

describe('compareHits', () => {
  it('orders by distance, then by id in code point order', () => {
    const hits = [
      { id: '😀', distance: 0.5 },
      { id: 'b', distance: 0.1 },
      { id: '\uFFFD', distance: 0.5 },
      { id: 'a', distance: 0.5 },
      { id: 'z', distance: -1 },
    ]
    expect(hits.sort(compareHits).map((h) => h.id)).toEqual(['z', 'b', 'a', '\uFFFD', '😀'])
  })
})
