import { describe, expect, it } from 'vitest'
import { FILTER_LIMITS } from '../filter'
import { LIMITS } from '../limits'
import type { CollectionSpec } from '../types'
import { expectCode, type Harness } from './harness'

/** Names that must be refused on every backend, whatever its storage. */
export const BAD_NAMES: [label: string, name: unknown][] = [
  ['empty', ''],
  ['traversal', '../a'],
  ['slash', 'a/b'],
  ['backslash', 'a\\b'],
  ['dot', 'a.b'],
  ['space', 'a b'],
  ['SQL injection', 'x"; DROP TABLE t; --'],
  ['quote comment', "a'--"],
  ['leading underscore', '_a'],
  ['leading dash', '-a'],
  ['NUL', 'a\u0000b'],
  ['129 bytes', 'a'.repeat(129)],
  ['129 bytes of Unicode', `a${'é'.repeat(64)}`],
  ['not NFC', 'e\u0301'],
  ['emoji', 'a😀'],
  ['number', 42],
  ['null', null],
]

/** Bad input on every method: `VALIDATION` or `DIMENSION_MISMATCH`, and nothing written. */
export function validationCases(h: Harness): void {
  describe('validation', () => {
    it('bad collection names are VALIDATION on every store method, and create nothing', async () => {
      const before = (await h.store.listCollections()).length
      for (const [label, name] of BAD_NAMES) {
        const n = name as string
        const a = await expectCode(
          () => h.store.createCollection(n, { dimensions: 2, metric: 'l2' }),
          'VALIDATION',
        )
        expect(a.message.length, label).toBeGreaterThan(0)
        await expectCode(
          () => h.store.createCollection(n, { dimensions: 2, metric: 'l2' }, { ifNotExists: true }),
          'VALIDATION',
        )
        await expectCode(() => h.store.collection(n), 'VALIDATION')
        await expectCode(() => h.store.dropCollection(n), 'VALIDATION')
      }
      expect((await h.store.listCollections()).length).toBe(before)
      // Exactly 128 bytes is allowed.
      const max = h.track(
        `m${Math.random().toString(36).slice(2, 8)}`.padEnd(LIMITS.maxCollectionNameBytes, 'x'),
      )
      await h.store.createCollection(max, { dimensions: 2, metric: 'l2' })
      expect((await h.store.collection(max)).name).toBe(max)
    })

    it('bad specs are VALIDATION', async () => {
      const name = h.track(`spec${Math.random().toString(36).slice(2, 10)}`)
      const bad: unknown[] = [
        { dimensions: 0, metric: 'l2' },
        { dimensions: -3, metric: 'l2' },
        { dimensions: 1.5, metric: 'l2' },
        { dimensions: LIMITS.maxDimensions + 1, metric: 'l2' },
        { dimensions: 1e9, metric: 'l2' },
        { dimensions: Number.NaN, metric: 'l2' },
        { dimensions: '3', metric: 'l2' },
        { dimensions: 3, metric: 'euclid' },
        { dimensions: 3 },
        { dimensions: 3, metric: 'l2', index: { type: 'ivf' } },
        { dimensions: 3, metric: 'l2', index: { type: 'hnsw', m: 1 } },
        { dimensions: 3, metric: 'l2', index: { type: 'hnsw', efSearch: 0 } },
        { dimensions: 3, metric: 'l2', index: { type: 'hnsw', m: 32, efConstruction: 16 } },
        { dimensions: 3, metric: 'l2', index: { type: 'hnsw', quantization: 'int4' } },
        null,
      ]
      for (const spec of bad)
        await expectCode(() => h.store.createCollection(name, spec as CollectionSpec), 'VALIDATION')
      await expectCode(() => h.store.collection(name), 'NOT_FOUND')
    })

    it('bad queries: NaN, ±Infinity, wrong dimension, zero vector with cosine', async () => {
      const col = await h.create({ dimensions: 3, metric: 'cosine' })
      await col.upsert([{ id: 'a', vector: [1, 0, 0] }])
      await expectCode(() => col.search([Number.NaN, 0, 0]), 'VALIDATION')
      await expectCode(() => col.search([Number.POSITIVE_INFINITY, 0, 0]), 'VALIDATION')
      await expectCode(() => col.search([0, Number.NEGATIVE_INFINITY, 0]), 'VALIDATION')
      await expectCode(() => col.search([1, 0]), 'DIMENSION_MISMATCH')
      await expectCode(() => col.search([1, 0, 0, 0]), 'DIMENSION_MISMATCH')
      await expectCode(() => col.search([]), 'DIMENSION_MISMATCH')
      await expectCode(() => col.search([0, 0, 0]), 'VALIDATION')
      await expectCode(() => col.search(new Float32Array(3)), 'VALIDATION')
      await expectCode(() => col.search('abc' as never), 'VALIDATION')
      await expectCode(() => col.upsert([{ id: 'z', vector: [0, 0, 0] }]), 'VALIDATION')
      expect(await col.count()).toBe(1)
      // Zero vectors are fine where the metric defines them.
      const l2 = await h.create({ dimensions: 3, metric: 'l2' })
      await l2.upsert([{ id: 'zero', vector: [0, 0, 0] }])
      expect((await l2.search([0, 0, 0], { k: 1 }))[0]?.id).toBe('zero')
    })

    it('bad search options: k out of range, efSearch, minScore, excludeIds, flags, filters', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      await col.upsert([{ id: 'a', vector: [1, 0] }])
      const q = [1, 0]
      const bad: unknown[] = [
        { k: 0 },
        { k: -1 },
        { k: 1.5 },
        { k: LIMITS.maxK + 1 },
        { k: Number.NaN },
        { k: '5' },
        { efSearch: 0 },
        { efSearch: 1001 },
        { minScore: Number.NaN },
        { minScore: '0.5' },
        { excludeIds: 'a' },
        { excludeIds: [1] },
        { excludeIds: [''] },
        { includeVectors: 'yes' },
        { exact: 1 },
        { filter: { year: { $gt: '2000' } } },
        { filter: { $foo: 1 } },
        { filter: { a: [1, 2] } },
        { filter: { a: { b: 1 } } },
        { filter: { $and: [] } },
        { filter: { a: { $in: 'x' } } },
        { filter: { a: Number.NaN } },
        { filter: { a: new Date() } },
        { filter: { 'a..b': 1 } },
        { filter: 'genre = drama' },
      ]
      for (const options of bad) await expectCode(() => col.search(q, options as never), 'VALIDATION')
      expect((await col.search(q, { k: LIMITS.maxK })).length).toBe(1)
    })

    it('filter errors name the offending path', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      const e1 = await expectCode(() => col.count({ a: { $or: [] } } as never), 'VALIDATION')
      expect(e1.message).toContain('filter.a.$or')
      const e2 = await expectCode(() => col.count({ $or: [{ year: { $gte: 'x' } }] } as never), 'VALIDATION')
      expect(e2.message).toContain('filter.$or[0].year.$gte')
      let deep: Record<string, unknown> = { a: 1 }
      for (let i = 0; i <= FILTER_LIMITS.maxDepth; i++) deep = { $not: deep }
      await expectCode(() => col.count(deep as never), 'VALIDATION')
      await expectCode(() => col.delete({ filter: deep as never }), 'VALIDATION')
    })

    it('bad ids on get and delete are VALIDATION and delete nothing', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      await col.upsert([{ id: 'a', vector: [1, 0] }])
      for (const ids of [
        [''],
        [1],
        [null],
        ['a', 'b\u0000'],
        ['x'.repeat(LIMITS.maxIdBytes + 1)],
        'a',
        null,
      ]) {
        await expectCode(() => col.get(ids as never), 'VALIDATION')
        await expectCode(() => col.delete(ids as never), 'VALIDATION')
      }
      await expectCode(() => col.delete({} as never), 'VALIDATION')
      expect(await col.count()).toBe(1)
      // Exactly at the id limit is allowed.
      const longest = 'x'.repeat(LIMITS.maxIdBytes)
      await col.upsert([{ id: longest, vector: [0, 1] }])
      expect((await col.get([longest])).length).toBe(1)
    })

    it('upsert rejects non-arrays, non-objects and oversized or too-deep metadata', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      let deep: Record<string, unknown> = { leaf: 1 }
      for (let i = 0; i < LIMITS.maxMetadataDepth + 1; i++) deep = { d: deep }
      const bad: unknown[] = [
        'records',
        null,
        [null],
        [{ id: 'a', vector: [1, 0], metadata: { big: 'x'.repeat(LIMITS.maxMetadataBytes) } }],
        [{ id: 'a', vector: [1, 0], metadata: deep }],
        [{ id: 'a', vector: [1, 0], metadata: new Map() }],
        [{ id: 'a', vector: [1, 0], metadata: { f: () => 1 } }],
        [{ id: 'a', vector: [1, 0], metadata: { n: 2 ** 60 } }],
        [{ id: 'a', vector: [1, 0], metadata: JSON.parse('{"__proto__": {"x": 1}}') }],
      ]
      for (const records of bad) await expectCode(() => col.upsert(records as never), 'VALIDATION')
      expect(await col.count()).toBe(0)
    })
  })
}
