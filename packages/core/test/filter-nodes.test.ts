import { describe, expect, it } from 'vitest'
import {
  canonicalFilter,
  compileFilter,
  type FilterNode,
  type Metadata,
  matchesFilter,
  parseFilter,
} from '../src/index'

// Regression: compileFilter and canonicalFilter accept both user filters and parsed nodes; a
// metadata key named "op" used to be mistaken for a node (compileFilter returned undefined).
describe('user filters on a metadata key named "op" versus parsed nodes', () => {
  it('compiles a user filter on the key "op"', () => {
    const p = compileFilter({ op: 'add' })
    expect(typeof p).toBe('function')
    expect(p({ op: 'add' })).toBe(true)
    expect(p({ op: 'remove' })).toBe(false)
    expect(matchesFilter({ op: 'eq', path: 'x' }, { op: 'eq', path: 'x' })).toBe(true)
    expect(matchesFilter({ op: 'not' }, { op: 'not', child: { $exists: true } })).toBe(false)
    expect(canonicalFilter({ op: 'add' })).toBe(canonicalFilter({ op: { $eq: 'add' } }))
  })

  it('still accepts every kind of parsed node', () => {
    const filters = [
      {},
      { a: 1 },
      { a: { $gt: 1 } },
      { a: { $in: [1, 2] } },
      { a: { $exists: true } },
      { $or: [{ a: 1 }, { b: 2 }] },
      { a: 1, b: { $ne: 2 } },
      { $not: { a: 1 } },
    ]
    for (const f of filters) {
      const node: FilterNode = parseFilter(f)
      const p = compileFilter(node)
      const samples: (Metadata | undefined)[] = [undefined, {}, { a: 1 }, { a: 2, b: 2 }, { b: 1 }]
      for (const m of samples) expect(p(m)).toBe(compileFilter(f)(m))
      expect(canonicalFilter(node)).toBe(canonicalFilter(f))
    }
  })

  it('rejects a filter that is neither', () => {
    expect(() => compileFilter({ op: 'and', children: [1] })).toThrow(/filter\.children/)
    expect(compileFilter({ op: 'and', children: 'x' })({ op: 'and', children: 'x' })).toBe(true)
  })
})

describe('a metadata key named "op"', () => {
  it('is a user filter even when it looks like the match-all node', () => {
    expect(matchesFilter({ op: 'x' }, { op: 'true' })).toBe(false)
    expect(matchesFilter({ op: 'true' }, { op: 'true' })).toBe(true)
    expect(canonicalFilter({ op: 'true' })).not.toBe(canonicalFilter({}))
  })

  it('still accepts the parsed match-all node', () => {
    const all = parseFilter(undefined)
    expect(compileFilter(all)({ anything: 1 })).toBe(true)
    expect(canonicalFilter(all)).toBe(canonicalFilter({}))
  })
})
