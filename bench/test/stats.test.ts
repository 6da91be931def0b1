import { describe, expect, it } from 'vitest'
import { paretoFrontier, percentile, qpsAtRecall, recallAtK } from '../src/stats'

describe('recallAtK', () => {
  it('counts the share of true neighbours found, per query, averaged', () => {
    const truth = Int32Array.from([0, 1, 2, 3, 4, 5])
    expect(
      recallAtK(
        [
          [0, 1, 2],
          [9, 5, 8],
        ],
        truth,
        3,
      ),
    ).toBeCloseTo((1 + 1 / 3) / 2)
  })
  it('ignores order, duplicates and results beyond k', () => {
    const truth = Int32Array.from([7, 8])
    expect(recallAtK([[8, 8, 7]], truth, 2)).toBe(0.5)
    expect(recallAtK([[8, 7]], truth, 2)).toBe(1)
  })
  it('scores against fewer than k true neighbours when the truth is padded with -1', () => {
    expect(recallAtK([[3]], Int32Array.from([3, -1]), 2)).toBe(1)
  })
})

describe('percentile', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5)
    expect(percentile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8)
    expect(percentile([7], 0.99)).toBe(7)
  })
})

describe('qpsAtRecall (equal recall)', () => {
  const curve = [
    { recall: 0.8, qps: 10_000 },
    { recall: 0.9, qps: 1000 },
    { recall: 1, qps: 100 },
  ]
  it('interpolates linearly in log QPS between the neighbouring points', () => {
    expect(qpsAtRecall(curve, 0.95)).toBeCloseTo(Math.sqrt(1000 * 100), 6)
    expect(qpsAtRecall(curve, 0.85)).toBeCloseTo(Math.sqrt(10_000 * 1000), 6)
  })
  it('returns the measured QPS at a measured recall', () => {
    expect(qpsAtRecall(curve, 0.9)).toBeCloseTo(1000, 9)
  })
  it('never extrapolates outside the curve', () => {
    expect(qpsAtRecall(curve, 0.7)).toBeUndefined()
    expect(qpsAtRecall([{ recall: 0.9, qps: 5 }], 0.95)).toBeUndefined()
  })
  it('uses the Pareto frontier when a higher setting is both slower and less accurate', () => {
    const noisy = [...curve, { recall: 0.85, qps: 50 }]
    expect(paretoFrontier(noisy)).toHaveLength(3)
    expect(qpsAtRecall(noisy, 0.85)).toBeCloseTo(Math.sqrt(10_000 * 1000), 6)
  })
})
