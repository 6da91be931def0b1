import fc from 'fast-check'
import type { ErrorCode } from '../errors'
import { FILTER_LIMITS } from '../filter'
import { LIMITS } from '../limits'

/** A generated bad input and the error code it must produce. */
export interface Bad<T = unknown> {
  value: T
  code: Extract<ErrorCode, 'VALIDATION' | 'DIMENSION_MISMATCH'>
  /** A fragment the error message must contain (the path of the fault), when known. */
  path?: string
  label: string
}

// Reports print the label, never the value: some values are huge (a sparse 1e9 array, 128 KiB strings).
const bad = <T>(label: string, value: T, code: Bad['code'] = 'VALIDATION', path?: string): Bad<T> => {
  const out: Bad<T> = path === undefined ? { label, value, code } : { label, value, code, path }
  Object.defineProperty(out, fc.toStringMethod, { value: () => `${label} (${code})`, enumerable: false })
  return out
}

/** Numbers (and non-numbers) that are never a valid vector component. */
export const badComponent = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  1e39,
  -3.5e38,
  '1',
  null,
  undefined,
  true,
  {},
  [1],
  1n,
)

const goodVector = (dims: number) =>
  fc.array(fc.float({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true }), {
    minLength: dims,
    maxLength: dims,
  })

/** A vector that is wrong for a collection of `dims` dimensions and `metric`. */
export function badVector(dims: number, metric: string): fc.Arbitrary<Bad> {
  const component = fc.tuple(goodVector(dims), fc.nat(dims - 1), badComponent).map(([v, i, x]) => {
    const out: unknown[] = v.map((c) => c || 0.5)
    out[i] = x
    return bad(`component ${String(x)}`, out, 'VALIDATION', `[${i}]`)
  })
  const length = fc
    .oneof(
      fc.integer({ min: 0, max: dims - 1 }),
      fc.integer({ min: dims + 1, max: dims + 40 }),
      fc.constant(16_001),
    )
    .map((n) => bad(`length ${n}`, new Float32Array(n).fill(0.25), 'DIMENSION_MISMATCH'))
  // A sparse array: a backend that copies or iterates before checking the length would hang.
  const huge = fc.constant(0).map(() => bad('length 1e9 (sparse)', new Array(1e9), 'DIMENSION_MISMATCH'))
  const notArray = fc
    .constantFrom<unknown>(
      '1,2,3',
      null,
      42,
      { length: dims },
      new DataView(new ArrayBuffer(dims * 4)),
      new Set([1]),
    )
    .map((v) => bad(`not a vector: ${Object.prototype.toString.call(v)}`, v))
  const arbs = [component, length, huge, notArray]
  if (metric === 'cosine') arbs.push(fc.constant(0).map(() => bad('zero vector', new Array(dims).fill(0))))
  return fc.oneof(...arbs)
}

/** Ids that must be refused. */
export const badId: fc.Arbitrary<Bad> = fc.oneof(
  fc.constantFrom<unknown>(1, 0, null, undefined, true, {}, ['a'], 1n).map((v) => bad(`id ${String(v)}`, v)),
  fc.constant(bad('empty id', '')),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
    .map(([a, b]) => bad('id with NUL', `${a}\u0000${b}`)),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.integer({ min: 0xd800, max: 0xdfff }))
    .map(([a, s]) => bad('id with a lone surrogate', `${a}${String.fromCharCode(s)}`)),
  fc
    .integer({ min: LIMITS.maxIdBytes + 1, max: LIMITS.maxIdBytes * 3 })
    .map((n) => bad(`id of ${n} bytes`, 'x'.repeat(n))),
  fc.integer({ min: 129, max: 400 }).map((n) => bad(`id of ${n * 4} bytes of emoji`, '😀'.repeat(n))),
)

const key = fc.constantFrom('a', 'tags', 'x y', 'é', 'x"; DROP TABLE t; --', "a'--", '0')
const segment = fc.oneof(key, fc.nat(3))

const badLeaf = fc.constantFrom<[string, unknown]>(
  ['Date', new Date(0)],
  ['undefined', undefined],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['bigint', 10n],
  ['function', () => 1],
  ['Map', new Map()],
  ['symbol', Symbol('s')],
  ['unsafe integer', 2 ** 60],
  ['string with NUL', 'a\u0000'],
  ['lone surrogate', '\udc00'],
  ['class instance', new (class Thing {})()],
)

/** Metadata with exactly one bad value somewhere inside; the error must name its path. */
export const badMetadata: fc.Arbitrary<Bad> = fc.oneof(
  fc.tuple(fc.array(segment, { minLength: 1, maxLength: 5 }), badLeaf).map(([path, [label, leaf]]) => {
    let value: unknown = leaf
    let where = ''
    for (let i = path.length - 1; i >= 0; i--) {
      const s = path[i]!
      if (typeof s === 'number') {
        value = [...Array.from({ length: s }, (_, j) => j), value]
        where = `[${s}]${where}`
      } else {
        value = { ok: 1, [s]: value }
        where = `.${s}${where}`
      }
    }
    // Metadata itself must be an object: wrap a leading array index under a key.
    if (typeof path[0] === 'number') {
      value = { list: value }
      where = `.list${where}`
    }
    return bad(`${label} at metadata${where}`, value, 'VALIDATION', `metadata${where}`)
  }),
  fc
    .integer({ min: LIMITS.maxMetadataBytes + 1, max: LIMITS.maxMetadataBytes * 2 })
    .map((n) => bad(`metadata of ${n} bytes`, { big: 'x'.repeat(n) })),
  fc.integer({ min: LIMITS.maxMetadataDepth + 1, max: LIMITS.maxMetadataDepth + 20 }).map((depth) => {
    let v: unknown = 1
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v }
    return bad(`metadata nested ${depth} deep`, { root: v })
  }),
  fc
    .constantFrom<unknown>(null, 'meta', 5, [1], new Date(0), new Map())
    .map((v) => bad(`metadata ${String(v)}`, v)),
)

/** Collection names outside the pattern or over 128 bytes. */
export const badName: fc.Arbitrary<Bad> = fc.oneof(
  fc
    .constantFrom(
      '',
      '../a',
      '..',
      'a/../../etc',
      'x"; DROP TABLE t; --',
      "a'--",
      'a b',
      'a.b',
      '_a',
      '-a',
      'a\u0000b',
      'e\u0301',
      'a😀',
      'pg_catalog.pg_class',
      'a;b',
      'a\nb',
    )
    .map((v) => bad(`name ${JSON.stringify(v)}`, v)),
  fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/),
      fc.constantFrom(
        ' ',
        '.',
        '/',
        '\\',
        "'",
        '"',
        ';',
        '%',
        '*',
        '$',
        '\u0000',
        '\t',
        '😀',
        '\u200b',
        '(',
        ')',
      ),
      fc.stringMatching(/^[a-z0-9_]{0,20}$/),
    )
    .map(([a, c, b]) => bad(`name with ${JSON.stringify(c)}`, `${a}${c}${b}`)),
  fc.tuple(fc.integer({ min: 129, max: 300 }), fc.constantFrom('a', 'é', '日', '9')).map(([n, ch]) => {
    const unit = new TextEncoder().encode(ch).length
    return bad(`name of ${Math.ceil(n / unit) * unit} bytes`, ch.repeat(Math.ceil(n / unit)))
  }),
  fc.constantFrom<unknown>(null, undefined, 42, {}, ['a']).map((v) => bad(`name ${String(v)}`, v)),
)

/** Specs that must be refused. */
export const badSpec: fc.Arbitrary<Bad> = fc.oneof(
  fc
    .constantFrom<unknown>(
      0,
      -1,
      1.5,
      LIMITS.maxDimensions + 1,
      1e9,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '3',
      null,
    )
    .map((d) => bad(`dimensions ${String(d)}`, { dimensions: d, metric: 'l2' })),
  fc
    .constantFrom<unknown>('cos', 'L2', 'euclidean', '', null, 1)
    .map((m) => bad(`metric ${String(m)}`, { dimensions: 3, metric: m })),
  fc
    .constantFrom<unknown>(
      { type: 'ivf' },
      { type: 'hnsw', m: 1 },
      { type: 'hnsw', m: 101 },
      { type: 'hnsw', efConstruction: 1001 },
      { type: 'hnsw', efSearch: 0 },
      { type: 'hnsw', m: 50, efConstruction: 10 },
      { type: 'hnsw', profile: 'fast' },
      { type: 'hnsw', quantization: 'pq' },
      { type: 'hnsw', rerank: 'yes' },
      'hnsw',
    )
    .map((index) => bad(`index ${JSON.stringify(index)}`, { dimensions: 3, metric: 'l2', index })),
  fc.constantFrom<unknown>(null, 'spec', 3).map((s) => bad(`spec ${String(s)}`, s)),
)

function nest(depth: number, kind: number): unknown {
  let f: unknown = { a: 1 }
  for (let i = 0; i < depth; i++)
    f = kind === 0 ? { $not: f } : kind === 1 ? { $and: [f, { b: 2 }] } : { $or: [{ b: 2 }, f] }
  return f
}

/** Filters that must be refused (with `VALIDATION`). */
export const badFilter: fc.Arbitrary<Bad> = fc.oneof(
  fc
    .tuple(fc.integer({ min: FILTER_LIMITS.maxDepth + 1, max: FILTER_LIMITS.maxDepth + 30 }), fc.nat(2))
    .map(([d, k]) => bad(`nested ${d} deep`, nest(d, k))),
  fc
    .constantFrom('$regex', '$where', '$foo', '$elemMatch', '$size', '$like')
    .map((op) => bad(`operator ${op}`, { a: { [op]: 1 } }, 'VALIDATION', `filter.a.${op}`)),
  fc
    .tuple(
      fc.constantFrom('$gt', '$gte', '$lt', '$lte'),
      fc.constantFrom<unknown>('5', null, true, Number.NaN, [1], {}),
    )
    .map(([op, v]) => bad(`${op} ${String(v)}`, { year: { [op]: v } }, 'VALIDATION', `filter.year.${op}`)),
  fc
    .constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      new Date(0),
      [1, 2],
      1n,
      'a\u0000',
      '\ud800',
      () => 1,
    )
    .map((v) => bad(`value ${String(v)}`, { a: v }, 'VALIDATION', 'filter.a')),
  fc
    .constantFrom<unknown>('x', 5, null, new Array(FILTER_LIMITS.maxInValues + 1).fill(1), [{}], [Number.NaN])
    .map((v) =>
      bad(
        `$in ${Array.isArray(v) ? `array of ${v.length}` : String(v)}`,
        { a: { $in: v } },
        'VALIDATION',
        'filter.a.$in',
      ),
    ),
  fc
    .constantFrom<unknown>(
      { $and: [] },
      { $or: [] },
      { $and: {} },
      { $not: [] },
      { a: {} },
      { a: { $exists: 'yes' } },
      { 'a..b': 1 },
      { '.a': 1 },
      { 'a.': 1 },
      { '': 1 },
      { $: 1 },
      { 'a\u0000': 1 },
      { [`k${'x'.repeat(FILTER_LIMITS.maxKeyBytes)}`]: 1 },
      { a: { b: 1 } },
      'genre = drama',
      [{ a: 1 }],
      5,
      null,
    )
    .map((f) => bad(`filter ${String(JSON.stringify(f)).slice(0, 40)}`, f)),
)
