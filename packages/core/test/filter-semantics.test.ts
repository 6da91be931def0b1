import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compileFilter,
  type Filter,
  type Metadata,
  matchesFilter,
  resolvePath,
  type Scalar,
} from '../src/index'
import { FILTER_FIXTURE, FILTER_GROUPS } from '../src/testing/filter-cases'
import { modelFilter, modelMetadata } from '../src/testing/model-commands'

const SCALARS: Scalar[] = [0, 1, 5, -1.5, '5', '1', '', 'x', 'true', true, false, null]

describe('compileFilter: the documented semantics', () => {
  it('matches the conformance table', () => {
    for (const group of FILTER_GROUPS)
      for (const [filter, ids] of group.cases) {
        const p = compileFilter(filter)
        const got = Object.entries(FILTER_FIXTURE)
          .filter(([, m]) => p(m))
          .map(([id]) => id)
        expect(got, JSON.stringify(filter)).toEqual(ids)
      }
  })

  it('$eq is strict equality between every pair of scalars (5 is not "5", true is not 1)', () => {
    for (const a of SCALARS)
      for (const b of SCALARS) {
        expect(matchesFilter({ k: a }, { k: b }), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(
          a === b,
        )
        expect(matchesFilter({ k: [a] }, { k: b }), `[${JSON.stringify(a)}] vs ${JSON.stringify(b)}`).toBe(
          a === b,
        )
      }
  })

  it('range operators match numbers only', () => {
    for (const v of SCALARS) {
      const isNum = typeof v === 'number'
      expect(matchesFilter({ k: v }, { k: { $gte: -100 } }), JSON.stringify(v)).toBe(isNum)
      expect(matchesFilter({ k: v }, { k: { $lt: 100 } }), JSON.stringify(v)).toBe(isNum)
    }
    expect(matchesFilter({ k: 3 }, { k: { $gt: 3 } })).toBe(false)
    expect(matchesFilter({ k: 3 }, { k: { $gte: 3 } })).toBe(true)
    expect(matchesFilter({ k: 3 }, { k: { $lt: 3 } })).toBe(false)
    expect(matchesFilter({ k: 3 }, { k: { $lte: 3 } })).toBe(true)
    expect(matchesFilter({ k: [1, 'z', 10] }, { k: { $gt: 5, $lt: 2 } })).toBe(true) // any element, per operator
    expect(matchesFilter({ k: { n: 5 } }, { k: { $gt: 1 } })).toBe(false)
  })

  it('negations match missing keys, other types and null', () => {
    for (const m of [undefined, {}, { other: 1 }, { k: '1' }, { k: null }, { k: { n: 1 } }, { k: [] }] as (
      | Metadata
      | undefined
    )[]) {
      expect(matchesFilter(m, { k: { $ne: 1 } }), JSON.stringify(m)).toBe(true)
      expect(matchesFilter(m, { k: { $nin: [1, 2] } }), JSON.stringify(m)).toBe(true)
      expect(matchesFilter(m, { k: { $not: { $gt: 0 } } }), JSON.stringify(m)).toBe(true)
      expect(matchesFilter(m, { $not: { k: 1 } }), JSON.stringify(m)).toBe(true)
    }
    expect(matchesFilter({}, { k: { $exists: false } })).toBe(true)
    expect(matchesFilter({ k: null }, { k: { $exists: false } })).toBe(false)
  })

  it('null matches a present null (or an array holding null), never a missing key', () => {
    expect(matchesFilter({ k: null }, { k: null })).toBe(true)
    expect(matchesFilter({ k: [1, null] }, { k: null })).toBe(true)
    expect(matchesFilter({}, { k: null })).toBe(false)
    expect(matchesFilter(undefined, { k: null })).toBe(false)
    expect(matchesFilter({ k: null }, { k: { $in: [null] } })).toBe(true)
  })

  it('paths walk objects only, never arrays or scalars, and only own keys', () => {
    expect(resolvePath({ a: { b: [1, { c: 2 }] } }, ['a', 'b'])).toEqual([1, { c: 2 }])
    expect(resolvePath({ a: { b: [1, { c: 2 }] } }, ['a', 'b', 'c'])).toBeUndefined()
    expect(resolvePath({ a: [{ b: 1 }] }, ['a', '0', 'b'])).toBeUndefined()
    expect(resolvePath({ a: 'str' }, ['a', 'length'])).toBeUndefined()
    expect(resolvePath({}, ['constructor'])).toBeUndefined()
    expect(resolvePath({}, ['toString'])).toBeUndefined()
    expect(matchesFilter({}, { constructor: { $exists: true } })).toBe(false)
    expect(matchesFilter({ 'a.b': 1 }, { 'a.b': 1 })).toBe(false)
    expect(matchesFilter({ a: { b: 1 } }, { 'a.b': 1 })).toBe(true)
  })

  it('arrays: nested arrays and objects inside never match a scalar', () => {
    expect(matchesFilter({ k: [[1]] }, { k: 1 })).toBe(false)
    expect(matchesFilter({ k: [{ v: 1 }] }, { k: { $in: [1] } })).toBe(false)
    expect(matchesFilter({ k: [] }, { k: { $exists: true } })).toBe(true)
    expect(matchesFilter({ k: [] }, { k: { $nin: [1] } })).toBe(true)
    expect(matchesFilter({ k: [1, 2] }, { k: { $ne: 1 } })).toBe(false)
  })

  it('$in: [] matches nothing, $nin: [] and {} match everything', () => {
    for (const m of [undefined, {}, { k: 1 }, { k: [] }] as (Metadata | undefined)[]) {
      expect(matchesFilter(m, { k: { $in: [] } })).toBe(false)
      expect(matchesFilter(m, { k: { $nin: [] } })).toBe(true)
      expect(matchesFilter(m, {})).toBe(true)
    }
  })
})

describe('compileFilter: algebraic laws on random filters and metadata', () => {
  const runs = { numRuns: 300, seed: 20261122 }
  const scalar = fc.constantFrom<Scalar>(...SCALARS)
  const key = fc.constantFrom('g', 'n', 'tags', 'o.p', 'missing')

  it('$not is the exact complement', () => {
    fc.assert(
      fc.property(modelFilter, modelMetadata, (f, m) => {
        expect(compileFilter({ $not: f })(m)).toBe(!compileFilter(f)(m))
      }),
      runs,
    )
  })

  it('$ne, $nin and $exists: false are the complements of $eq, $in and $exists', () => {
    fc.assert(
      fc.property(key, scalar, fc.array(scalar, { maxLength: 3 }), modelMetadata, (k, v, vs, m) => {
        expect(matchesFilter(m, { [k]: { $ne: v } })).toBe(!matchesFilter(m, { [k]: v }))
        expect(matchesFilter(m, { [k]: { $nin: vs } })).toBe(!matchesFilter(m, { [k]: { $in: vs } }))
        expect(matchesFilter(m, { [k]: { $exists: false } })).toBe(
          !matchesFilter(m, { [k]: { $exists: true } }),
        )
      }),
      runs,
    )
  })

  it('$in is the $or of $eq, and implicit $and equals $and', () => {
    fc.assert(
      fc.property(key, fc.array(scalar, { minLength: 1, maxLength: 4 }), modelMetadata, (k, vs, m) => {
        const or: Filter = { $or: vs.map((v) => ({ [k]: v })) }
        expect(matchesFilter(m, { [k]: { $in: vs } })).toBe(matchesFilter(m, or))
      }),
      runs,
    )
    fc.assert(
      fc.property(modelFilter, modelFilter, modelMetadata, (a, b, m) => {
        const both = compileFilter({ $and: [a, b] })(m)
        expect(both).toBe(compileFilter(a)(m) && compileFilter(b)(m))
        expect(compileFilter({ $or: [a, b] })(m)).toBe(compileFilter(a)(m) || compileFilter(b)(m))
        expect(compileFilter({ $not: { $or: [a, b] } })(m)).toBe(
          compileFilter({ $and: [{ $not: a }, { $not: b }] })(m),
        )
      }),
      runs,
    )
  })
})
