import { describe, expect, it } from 'vitest'
import { FILTER_LIMITS, type FilterNode, isVectorStoreError, parseFilter } from '../src/index'

function parseError(filter: unknown): { message: string; path: unknown } {
  try {
    parseFilter(filter)
  } catch (err) {
    if (!isVectorStoreError(err, 'VALIDATION')) throw err
    return { message: err.message, path: err.details?.path }
  }
  throw new Error(`expected ${JSON.stringify(filter)} to be rejected`)
}

describe('parseFilter: normalised trees', () => {
  const cases: [unknown, FilterNode][] = [
    [undefined, { op: 'true' }],
    [{}, { op: 'true' }],
    [{ a: undefined }, { op: 'true' }],
    [{ a: 1 }, { op: 'eq', path: ['a'], value: 1 }],
    [{ a: { $eq: 'x' } }, { op: 'eq', path: ['a'], value: 'x' }],
    [{ 'a.b.c': null }, { op: 'eq', path: ['a', 'b', 'c'], value: null }],
    [{ a: { $ne: true } }, { op: 'not', child: { op: 'eq', path: ['a'], value: true } }],
    [{ a: { $gte: -0 } }, { op: 'range', path: ['a'], cmp: 'gte', value: 0 }],
    [{ a: -0 }, { op: 'eq', path: ['a'], value: 0 }],
    [{ a: { $in: [1, 'x', null] } }, { op: 'in', path: ['a'], values: [1, 'x', null] }],
    [{ a: { $nin: [] } }, { op: 'not', child: { op: 'in', path: ['a'], values: [] } }],
    [{ a: { $exists: true } }, { op: 'exists', path: ['a'] }],
    [{ a: { $exists: false } }, { op: 'not', child: { op: 'exists', path: ['a'] } }],
    [{ a: { $not: { $lt: 3 } } }, { op: 'not', child: { op: 'range', path: ['a'], cmp: 'lt', value: 3 } }],
    [{ $and: [{ a: 1 }] }, { op: 'eq', path: ['a'], value: 1 }],
    [
      { $or: [{ a: 1 }, { b: 2 }] },
      {
        op: 'or',
        children: [
          { op: 'eq', path: ['a'], value: 1 },
          { op: 'eq', path: ['b'], value: 2 },
        ],
      },
    ],
    [
      { a: { $gt: 1, $lt: 5 } },
      {
        op: 'and',
        children: [
          { op: 'range', path: ['a'], cmp: 'gt', value: 1 },
          { op: 'range', path: ['a'], cmp: 'lt', value: 5 },
        ],
      },
    ],
    [{ $not: { a: 1 } }, { op: 'not', child: { op: 'eq', path: ['a'], value: 1 } }],
  ]
  for (const [filter, node] of cases)
    it(`${JSON.stringify(filter)}`, () => {
      expect(parseFilter(filter)).toEqual(node)
    })

  it('accepts hostile keys as plain data', () => {
    expect(parseFilter({ 'x"; DROP TABLE t; --': "a'--" })).toEqual({
      op: 'eq',
      path: ['x"; DROP TABLE t; --'],
      value: "a'--",
    })
  })
})

describe('parseFilter: errors name the path', () => {
  const cases: [unknown, string, RegExp][] = [
    [null, 'filter', /expected a filter object, got null/],
    ['a = 1', 'filter', /expected a filter object, got a string/],
    [[{ a: 1 }], 'filter', /got an array/],
    [{ $foo: 1 }, 'filter.$foo', /unknown operator "\$foo"/],
    [{ a: { $foo: 1 } }, 'filter.a.$foo', /unknown operator "\$foo"/],
    [{ a: { b: 1 } }, 'filter.a.b', /objects are not compared whole; use the dotted key "a.b"/],
    [{ a: {} }, 'filter.a', /empty operator object/],
    [{ a: [1] }, 'filter.a', /arrays are not compared whole/],
    [{ a: Number.NaN }, 'filter.a', /finite number, got NaN/],
    [{ a: Number.POSITIVE_INFINITY }, 'filter.a', /finite number, got Infinity/],
    [{ a: new Date(0) }, 'filter.a', /got a Date/],
    [{ a: 1n }, 'filter.a', /got a bigint/],
    [{ a: 'x\u0000' }, 'filter.a', /without NUL/],
    [{ a: '\ud800' }, 'filter.a', /well-formed/],
    [{ a: { $gt: '5' } }, 'filter.a.$gt', /range operators take a finite number, got a string/],
    [{ a: { $lte: null } }, 'filter.a.$lte', /got null/],
    [{ a: { $in: 'x' } }, 'filter.a.$in', /expected an array of scalars/],
    [{ a: { $in: [1, {}] } }, 'filter.a.$in[1]', /got an object/],
    [{ a: { $nin: [[1]] } }, 'filter.a.$nin[0]', /got an array/],
    [{ a: { $exists: 1 } }, 'filter.a.$exists', /expected true or false/],
    [{ $and: [] }, 'filter.$and', /non-empty array/],
    [{ $or: {} }, 'filter.$or', /non-empty array/],
    [{ $or: [{ a: 1 }, { b: { $gt: 'x' } }] }, 'filter.$or[1].b.$gt', /finite number/],
    [{ $not: 5 }, 'filter.$not', /expected a filter object/],
    [{ '': 1 }, 'filter.', /empty key/],
    [{ 'a..b': 1 }, 'filter.a..b', /empty segment/],
    [{ 'a.': 1 }, 'filter.a.', /empty segment/],
    [{ 'a\u0000': 1 }, 'filter.a\u0000', /without NUL/],
    [
      { ['k'.repeat(FILTER_LIMITS.maxKeyBytes + 1)]: 1 },
      `filter.${'k'.repeat(FILTER_LIMITS.maxKeyBytes + 1)}`,
      /longer than/,
    ],
    [
      { a: { $in: new Array(FILTER_LIMITS.maxInValues + 1).fill(1) } },
      'filter.a.$in',
      /more than 1000 values/,
    ],
  ]
  for (const [filter, path, message] of cases)
    it(`${path}: ${message.source}`, () => {
      const err = parseError(filter)
      expect(err.message).toMatch(message)
      expect(err.message.startsWith(path)).toBe(true)
      expect(err.path).toBe(path)
    })

  it('limits nesting depth', () => {
    let ok: unknown = { a: 1 }
    for (let i = 0; i < FILTER_LIMITS.maxDepth - 1; i++) ok = { $not: ok }
    expect(() => parseFilter(ok)).not.toThrow()
    let deep: unknown = { a: 1 }
    for (let i = 0; i <= FILTER_LIMITS.maxDepth; i++) deep = { $not: deep }
    expect(parseError(deep).message).toMatch(/nested deeper than 32/)
    let fieldDeep: unknown = { $eq: 1 }
    for (let i = 0; i <= FILTER_LIMITS.maxDepth; i++) fieldDeep = { $not: fieldDeep }
    expect(parseError({ a: fieldDeep }).message).toMatch(/nested deeper than 32/)
  })

  it('limits the number of operators', () => {
    const many = { $or: Array.from({ length: FILTER_LIMITS.maxNodes }, (_, i) => ({ [`k${i}`]: i })) }
    expect(parseError(many).message).toMatch(/more than 1000 operators/)
    const fine = { $or: Array.from({ length: 400 }, (_, i) => ({ [`k${i}`]: i })) }
    expect(() => parseFilter(fine)).not.toThrow()
  })
})
