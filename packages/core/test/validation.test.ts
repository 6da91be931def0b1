import { describe, expect, it } from 'vitest'
import {
  type ErrorCode,
  HNSW_PROFILES,
  isVectorStoreError,
  LIMITS,
  resolveSpec,
  specsEqual,
  VectorStoreError,
  validateCollectionName,
  validateDeleteTarget,
  validateId,
  validateMetadata,
  validateRecords,
  validateScan,
  validateSearch,
  validateVector,
} from '../src/index'

function failure(fn: () => unknown): { code: ErrorCode; message: string; path: unknown } {
  try {
    fn()
  } catch (err) {
    if (!isVectorStoreError(err)) throw err
    return { code: err.code, message: err.message, path: err.details?.path }
  }
  throw new Error('expected a VectorStoreError')
}

describe('errors', () => {
  it('keeps code, details and the native cause', () => {
    const cause = new Error('socket hang up')
    const err = new VectorStoreError('CONNECTION', 'lost the server', { cause, details: { host: 'db' } })
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('VectorStoreError')
    expect(err.cause).toBe(cause)
    expect(err.details).toEqual({ host: 'db' })
    expect(isVectorStoreError(err, 'CONNECTION')).toBe(true)
    expect(isVectorStoreError(err, 'TIMEOUT')).toBe(false)
    expect(isVectorStoreError(cause)).toBe(false)
    expect('cause' in new VectorStoreError('INTERNAL', 'x')).toBe(false)
  })
})

describe('collection names', () => {
  it('accepts the pattern up to 128 bytes', () => {
    for (const name of [
      'a',
      'A9',
      'user-42_memories',
      'é',
      '日本語',
      '٣x',
      'a'.repeat(128),
      `a${'é'.repeat(63)}`,
    ])
      expect(validateCollectionName(name)).toBe(name)
  })

  it('rejects everything else with a clear message', () => {
    const cases: [unknown, RegExp][] = [
      ['', /must not be empty/],
      [5, /must be a string, got 5/],
      [null, /got null/],
      ['a'.repeat(129), /129 bytes of UTF-8; the limit is 128/],
      [`a${'é'.repeat(64)}`, /129 bytes/],
      ['../a', /is invalid: use a letter or digit/],
      ['a b', /is invalid/],
      ['x"; DROP TABLE t; --', /is invalid/],
      ['_a', /is invalid/],
      ['e\u0301', /is invalid/],
      ['a\u0000', /is invalid/],
    ]
    for (const [name, message] of cases) {
      const f = failure(() => validateCollectionName(name))
      expect(f.code).toBe('VALIDATION')
      expect(f.message).toMatch(message)
    }
  })
})

describe('ids', () => {
  it('accepts non-empty well-formed strings up to 512 bytes', () => {
    for (const id of ['a', ' ', "a'--", '😀', 'x'.repeat(512), 'é'.repeat(256)])
      expect(validateId(id)).toBe(id)
  })
  it('rejects the rest, naming where', () => {
    expect(failure(() => validateId(1, 'records[3].id'))).toEqual({
      code: 'VALIDATION',
      message: 'records[3].id must be a string, got 1',
      path: 'records[3].id',
    })
    expect(failure(() => validateId('')).message).toBe('id must not be empty')
    expect(failure(() => validateId('a\u0000')).message).toMatch(/without NUL/)
    expect(failure(() => validateId('\udfff')).message).toMatch(/well-formed/)
    expect(failure(() => validateId('é'.repeat(257))).message).toBe(
      'id is 514 bytes of UTF-8; the limit is 512',
    )
  })
})

describe('vectors', () => {
  it('returns a float32 copy', () => {
    const input = [0.1, 2, -3]
    const out = validateVector(input, 3, 'l2')
    expect(out).toBeInstanceOf(Float32Array)
    expect(Array.from(out)).toEqual(input.map(Math.fround))
    const f = new Float32Array([1, 2])
    expect(validateVector(f, 2, 'dot')).not.toBe(f)
  })
  it('rejects bad vectors with their path and the right code', () => {
    expect(failure(() => validateVector([1, 2], 3, 'l2', 'records[0].vector'))).toEqual({
      code: 'DIMENSION_MISMATCH',
      message: 'records[0].vector has 2 dimensions; the collection has 3',
      path: 'records[0].vector',
    })
    expect(failure(() => validateVector([1, Number.NaN], 2, 'l2')).message).toBe(
      'vector[1] must be a finite number, got NaN',
    )
    expect(failure(() => validateVector([Number.NEGATIVE_INFINITY], 1, 'l2')).path).toBe('vector[0]')
    expect(failure(() => validateVector([1e39], 1, 'l2')).message).toMatch(/overflows float32/)
    expect(failure(() => validateVector([0, 0], 2, 'cosine')).message).toMatch(/all zeros/)
    expect(validateVector([0, 0], 2, 'l2')).toEqual(new Float32Array(2))
    expect(failure(() => validateVector('ab', 2, 'l2')).code).toBe('VALIDATION')
    expect(failure(() => validateVector(new DataView(new ArrayBuffer(8)), 2, 'l2')).code).toBe('VALIDATION')
    expect(failure(() => validateVector(new Array(1e9), 2, 'l2')).code).toBe('DIMENSION_MISMATCH')
  })
})

describe('metadata', () => {
  it('accepts plain JSON, including null-prototype objects', () => {
    const m = {
      a: [1, 'x', null, true, { b: -0.5 }],
      n: Number.MAX_SAFE_INTEGER,
      f: 1.5e-300,
      g: -2.5e15 + 0.5,
    }
    expect(validateMetadata(m)).toBe(m)
    expect(() => validateMetadata(Object.assign(Object.create(null), { a: 1 }))).not.toThrow()
  })
  it('rejects non-JSON values with their path', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ at: new Date(0) }, 'metadata.at', /got Date/],
      [{ a: { b: undefined } }, 'metadata.a.b', /got a undefined/],
      [{ t: [1, Number.NaN] }, 'metadata.t[1]', /finite number, got NaN/],
      [{ n: 10n }, 'metadata.n', /got a bigint/],
      [{ n: 2 ** 53 }, 'metadata.n', /beyond ±2\^53/],
      // Every double of magnitude >= 2^53 is an integer to JavaScript, so large floats are refused too.
      [{ n: 6.02e23 }, 'metadata.n', /beyond ±2\^53/],
      [{ f: () => 1 }, 'metadata.f', /got a function/],
      [{ s: 'a\u0000' }, 'metadata.s', /without NUL/],
      // biome-ignore lint/suspicious/noSparseArray: a sparse array is the input under test
      [{ h: [1, , 3] }, 'metadata.h[1]', /hole in a sparse array/],
      [JSON.parse('{"__proto__": 1}'), 'metadata.__proto__', /not allowed/],
      [[1], 'metadata', /must be a plain object, got an array/],
      [new Map(), 'metadata', /got Map/],
    ]
    for (const [m, path, message] of cases) {
      const f = failure(() => validateMetadata(m))
      expect(f.path, path).toBe(path)
      expect(f.message).toMatch(message)
      expect(f.message.startsWith(path)).toBe(true)
    }
  })
  it('limits size and depth', () => {
    expect(failure(() => validateMetadata({ s: 'x'.repeat(LIMITS.maxMetadataBytes) })).message).toMatch(
      /the limit is 65536/,
    )
    let deep: unknown = 1
    for (let i = 0; i < LIMITS.maxMetadataDepth; i++) deep = { d: deep }
    expect(() => validateMetadata(deep)).not.toThrow()
    expect(failure(() => validateMetadata({ d: deep })).message).toMatch(/nested deeper than 32 levels/)
  })
})

describe('records, search, scan and delete options', () => {
  const spec = resolveSpec({ dimensions: 2, metric: 'cosine' })
  it('validateRecords names the record and field, and copies expiresAt', () => {
    const at = new Date(1000)
    const [r] = validateRecords([{ id: 'a', vector: [1, 0], expiresAt: at }], spec)
    expect(r?.expiresAt).toEqual(at)
    expect(r?.expiresAt).not.toBe(at)
    expect(
      failure(() =>
        validateRecords(
          [
            { id: 'a', vector: [1, 0] },
            { id: 'b', vector: [1] },
          ],
          spec,
        ),
      ).message,
    ).toMatch(/^records\[1\]\.vector has 1 dimensions/)
    expect(
      failure(() => validateRecords([{ id: 'a', vector: [1, 0], metadata: { x: [new Date()] } }], spec)).path,
    ).toBe('records[0].metadata.x[0]')
    expect(
      failure(() => validateRecords([{ id: 'a', vector: [1, 0], expiresAt: new Date(Number.NaN) }], spec))
        .path,
    ).toBe('records[0].expiresAt')
    expect(
      failure(() => validateRecords(new Array(LIMITS.maxBatchSize + 1).fill(null), spec)).message,
    ).toMatch(/split it/)
  })

  it('validateSearch fills defaults and checks bounds', () => {
    const { query, options } = validateSearch([3, 4], undefined, spec)
    expect(Array.from(query)).toEqual([3, 4])
    expect(options).toEqual({
      k: 10,
      filter: { op: 'true' },
      minScore: undefined,
      efSearch: undefined,
      excludeIds: undefined,
      includeVectors: false,
      exact: false,
    })
    expect(validateSearch([1, 0], { excludeIds: ['a', 'a'] }, spec).options.excludeIds).toEqual(
      new Set(['a']),
    )
    expect(failure(() => validateSearch([1, 0], { k: 0 }, spec)).message).toBe(
      'k must be an integer from 1 to 10000, got 0',
    )
    expect(failure(() => validateSearch([1, 0], { k: LIMITS.maxK + 1 }, spec)).code).toBe('VALIDATION')
    expect(failure(() => validateSearch([1, 0], { efSearch: 1001 }, spec)).message).toMatch(
      /efSearch must be an integer from 1 to 1000/,
    )
    expect(failure(() => validateSearch([0, 0], {}, spec)).message).toMatch(/^query is all zeros/)
    expect(failure(() => validateSearch([1, 0], { minScore: Number.NaN }, spec)).code).toBe('VALIDATION')
  })

  it('validateScan and validateDeleteTarget', () => {
    expect(validateScan(undefined)).toEqual({ after: undefined, batchSize: 500, filter: { op: 'true' } })
    expect(failure(() => validateScan({ batchSize: 0 })).code).toBe('VALIDATION')
    expect(failure(() => validateScan({ after: '' })).path).toBe('after')
    expect(validateDeleteTarget(['a'])).toEqual({ ids: ['a'] })
    expect(validateDeleteTarget({ filter: {} })).toEqual({ filter: { op: 'true' } })
    expect(failure(() => validateDeleteTarget({ filter: undefined })).message).toMatch(
      /use \{ filter: \{\} \} to delete all/,
    )
    expect(failure(() => validateDeleteTarget('a')).code).toBe('VALIDATION')
    expect(failure(() => validateDeleteTarget(['ok', 3])).path).toBe('ids[1]')
  })
})

describe('resolveSpec and specsEqual', () => {
  it('fills defaults', () => {
    expect(resolveSpec({ dimensions: 3, metric: 'l2' })).toEqual({
      dimensions: 3,
      metric: 'l2',
      index: { type: 'flat' },
    })
    expect(resolveSpec({ dimensions: 3, metric: 'dot', index: { type: 'hnsw' } }).index).toEqual({
      type: 'hnsw',
      ...HNSW_PROFILES.balanced,
      quantization: 'none',
      rerank: true,
    })
    expect(
      resolveSpec({ dimensions: 3, metric: 'dot', index: { type: 'hnsw', profile: 'quality', m: 8 } }).index,
    ).toEqual({
      type: 'hnsw',
      profile: 'quality',
      m: 8,
      efConstruction: 100,
      efSearch: 200,
      quantization: 'none',
      rerank: true,
    })
  })

  it('rejects bad specs with a message naming the field', () => {
    const cases: [unknown, RegExp][] = [
      [{ dimensions: 0, metric: 'l2' }, /dimensions must be an integer from 1 to 16000, got 0/],
      [{ dimensions: 16_001, metric: 'l2' }, /got 16001/],
      [{ dimensions: 3, metric: 'cos' }, /metric must be one of cosine, dot, l2, got "cos"/],
      [
        { dimensions: 3, metric: 'l2', index: { type: 'ivf' } },
        /index.type must be "flat" or "hnsw", got "ivf"/,
      ],
      [
        { dimensions: 3, metric: 'l2', index: { type: 'hnsw', m: 1 } },
        /index.m must be an integer from 2 to 100/,
      ],
      [
        { dimensions: 3, metric: 'l2', index: { type: 'hnsw', m: 40, efConstruction: 20 } },
        /must be at least index.m/,
      ],
      [{ dimensions: 3, metric: 'l2', index: { type: 'hnsw', profile: 'fast' } }, /index.profile/],
      [{ dimensions: 3, metric: 'l2', index: { type: 'hnsw', quantization: 'pq' } }, /index.quantization/],
      [null, /spec must be an object/],
    ]
    for (const [spec, message] of cases) {
      const f = failure(() => resolveSpec(spec as never))
      expect(f.code).toBe('VALIDATION')
      expect(f.message).toMatch(message)
    }
  })

  it('compares resolved specs: profile names do not matter, parameters do', () => {
    const a = resolveSpec({ dimensions: 3, metric: 'l2', index: { type: 'hnsw', profile: 'balanced' } })
    const b = resolveSpec({
      dimensions: 3,
      metric: 'l2',
      index: { type: 'hnsw', m: 16, efConstruction: 64, efSearch: 100 },
    })
    expect(specsEqual(a, b)).toBe(true)
    const flat = resolveSpec({ dimensions: 3, metric: 'l2' })
    expect(specsEqual(flat, resolveSpec({ dimensions: 3, metric: 'l2', index: { type: 'flat' } }))).toBe(true)
    expect(specsEqual(flat, a)).toBe(false)
    expect(specsEqual(a, flat)).toBe(false)
    expect(specsEqual(flat, resolveSpec({ dimensions: 4, metric: 'l2' }))).toBe(false)
    expect(specsEqual(flat, resolveSpec({ dimensions: 3, metric: 'dot' }))).toBe(false)
    for (const change of [
      { m: 8 },
      { efConstruction: 65 },
      { efSearch: 99 },
      { quantization: 'int8' as const },
      { rerank: false },
    ])
      expect(
        specsEqual(a, resolveSpec({ dimensions: 3, metric: 'l2', index: { type: 'hnsw', ...change } })),
      ).toBe(false)
  })
})
