import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalFilter, canonicalJson, compareIds, compileFilter, utf8Length } from '../src/index'
import { prng } from '../src/testing/data'
import { modelFilter, modelMetadata } from '../src/testing/model-commands'

function shuffleKeys(v: unknown, rand: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rand))
  if (v === null || typeof v !== 'object') return v
  const entries = Object.entries(v)
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[entries[i], entries[j]] = [entries[j]!, entries[i]!]
  }
  return Object.fromEntries(entries.map(([k, x]) => [k, shuffleKeys(x, rand)]))
}

describe('canonicalJson', () => {
  it('sorts keys, drops undefined, writes -0 as 0', () => {
    expect(canonicalJson({ b: 1, a: [true, null, -0], c: undefined })).toBe('{"a":[true,null,0],"b":1}')
    expect(canonicalJson(undefined)).toBe('null')
    expect(canonicalJson('é')).toBe('"é"')
  })

  it('is independent of key insertion order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (v, seed) => {
        const rand = prng(seed)
        expect(canonicalJson(shuffleKeys(v, rand))).toBe(canonicalJson(v))
      }),
      { numRuns: 200, seed: 7 },
    )
  })
})

describe('canonicalFilter', () => {
  it('is stable under key order, shorthand, and the order of $and/$or children and $in values', () => {
    const same: [unknown, unknown][] = [
      [
        { b: 1, a: { $eq: 2 } },
        { a: 2, b: { $eq: 1 } },
      ],
      [{ a: 1, b: 2 }, { $and: [{ b: 2 }, { a: 1 }] }],
      [{ $or: [{ a: 1 }, { b: 2 }] }, { $or: [{ b: { $eq: 2 } }, { a: 1 }] }],
      [{ a: { $in: [3, 'x', null] } }, { a: { $in: [null, 3, 'x'] } }],
      [{ a: { $gte: 1, $lt: 2 } }, { a: { $lt: 2, $gte: 1 } }],
      [{ a: { $ne: 1 } }, { $not: { a: 1 } }],
      [{ a: -0 }, { a: 0 }],
      [{}, undefined],
      [{ $and: [{ a: 1 }] }, { a: 1 }],
    ]
    for (const [x, y] of same)
      expect(canonicalFilter(x), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`).toBe(canonicalFilter(y))
  })

  it('tells different filters apart', () => {
    const different: [unknown, unknown][] = [
      [{ a: 1 }, { a: '1' }],
      [{ a: true }, { a: 1 }],
      [{ a: null }, { a: { $exists: true } }],
      [{ 'a.b': 1 }, { a: 1, b: 1 }],
      [{ a: { $gt: 1 } }, { a: { $gte: 1 } }],
      [{ $or: [{ a: 1 }, { b: 2 }] }, { $and: [{ a: 1 }, { b: 2 }] }],
    ]
    for (const [x, y] of different) expect(canonicalFilter(x)).not.toBe(canonicalFilter(y))
  })

  it('is stable under reordering of random filters and means the same filter', () => {
    fc.assert(
      fc.property(modelFilter, fc.integer(), modelMetadata, (f, seed, m) => {
        const rand = prng(seed)
        const shuffled = shuffleKeys(f, rand)
        expect(canonicalFilter(shuffled)).toBe(canonicalFilter(f))
        // The canonical string is a plain object tree of the same meaning.
        const node = JSON.parse(canonicalFilter(f))
        expect(compileFilter(node)(m)).toBe(compileFilter(f)(m))
      }),
      { numRuns: 300, seed: 11 },
    )
  })
})

const wellFormed = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => s.isWellFormed())
const tricky = fc.string({
  unit: fc.constantFrom('a', 'B', 'é', '\uFFFD', '\uE000', '\uD7FF', '😀', '\u{10FFFF}', '\u0000', '~'),
  maxLength: 6,
})

describe('compareIds', () => {
  it('agrees with UTF-8 byte order on random strings', () => {
    fc.assert(
      fc.property(fc.oneof(wellFormed, tricky), fc.oneof(wellFormed, tricky), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')))
        expect(Math.sign(compareIds(a, b))).toBe(bytes)
        expect(Math.sign(compareIds(b, a))).toBe(bytes === 0 ? 0 : -bytes)
      }),
      { numRuns: 2000, seed: 3 },
    )
  })

  it('sorts the documented example', () => {
    expect(['b', 'a', '😀', '\uFFFD'].sort(compareIds)).toEqual(['a', 'b', '\uFFFD', '😀'])
    expect(compareIds('a', 'a')).toBe(0)
    expect(compareIds('a', 'ab')).toBeLessThan(0)
    expect(compareIds('\uE000', '😀')).toBeLessThan(0)
    expect(compareIds('\uD7FF', '😀')).toBeLessThan(0)
  })

  it('gives a total order: sorting twice from different starts agrees', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(wellFormed, tricky), { maxLength: 20 }), (xs) => {
        const a = [...xs].sort(compareIds)
        const b = [...xs].reverse().sort(compareIds)
        expect(a).toEqual(b)
        const bytes = [...xs].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)))
        expect(a).toEqual(bytes)
      }),
      { numRuns: 300, seed: 5 },
    )
  })

  it('utf8Length counts UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.oneof(wellFormed, tricky), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'))
      }),
      { numRuns: 500, seed: 9 },
    )
  })
})
