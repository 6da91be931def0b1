import { describe, expect, it } from 'vitest'
import { LIMITS } from '../limits'
import type { VectorRecord } from '../types'
import { expectSameVector, normMeta, randomRecords } from './data'
import { expectCode, type Harness, type IndexVariant } from './harness'

type BadRecord = [
  label: string,
  record: Record<string, unknown>,
  code: 'VALIDATION' | 'DIMENSION_MISMATCH',
  path?: string,
]

/** One invalid record per row; each is slipped into an otherwise valid batch. */
const BAD_RECORDS: BadRecord[] = [
  ['NaN', { id: 'bad', vector: [1, Number.NaN, 0] }, 'VALIDATION', 'vector[1]'],
  ['+Infinity', { id: 'bad', vector: [Number.POSITIVE_INFINITY, 0, 0] }, 'VALIDATION'],
  ['-Infinity', { id: 'bad', vector: [0, 0, Number.NEGATIVE_INFINITY] }, 'VALIDATION'],
  ['float32 overflow', { id: 'bad', vector: [1e39, 0, 0] }, 'VALIDATION'],
  ['short vector', { id: 'bad', vector: [1, 0] }, 'DIMENSION_MISMATCH'],
  ['long vector', { id: 'bad', vector: new Float32Array(4).fill(1) }, 'DIMENSION_MISMATCH'],
  ['string in vector', { id: 'bad', vector: [1, '0', 0] }, 'VALIDATION'],
  ['missing vector', { id: 'bad' }, 'VALIDATION'],
  ['empty id', { id: '', vector: [1, 0, 0] }, 'VALIDATION'],
  ['numeric id', { id: 7, vector: [1, 0, 0] }, 'VALIDATION'],
  ['id with NUL', { id: 'a\u0000b', vector: [1, 0, 0] }, 'VALIDATION'],
  ['id with a lone surrogate', { id: 'a\ud800', vector: [1, 0, 0] }, 'VALIDATION'],
  ['id over the byte limit', { id: 'é'.repeat(LIMITS.maxIdBytes / 2 + 1), vector: [1, 0, 0] }, 'VALIDATION'],
  [
    'Date in metadata',
    { id: 'bad', vector: [1, 0, 0], metadata: { at: new Date() } },
    'VALIDATION',
    'metadata.at',
  ],
  [
    'undefined in metadata',
    { id: 'bad', vector: [1, 0, 0], metadata: { a: { b: undefined } } },
    'VALIDATION',
    'metadata.a.b',
  ],
  [
    'NaN in metadata',
    { id: 'bad', vector: [1, 0, 0], metadata: { tags: [1, Number.NaN] } },
    'VALIDATION',
    'metadata.tags[1]',
  ],
  [
    'bigint in metadata',
    { id: 'bad', vector: [1, 0, 0], metadata: { n: { deep: [0, 1n] } } },
    'VALIDATION',
    'metadata.n.deep[1]',
  ],
  ['metadata not an object', { id: 'bad', vector: [1, 0, 0], metadata: [1, 2] }, 'VALIDATION'],
  ['expiresAt not a Date', { id: 'bad', vector: [1, 0, 0], expiresAt: '2030-01-01' }, 'VALIDATION'],
]

/** upsert, get, delete and count, run on one index variant. */
export function recordCases(h: Harness, v: IndexVariant): void {
  describe(`records (${v.label})`, () => {
    const spec = { dimensions: 3, metric: 'l2' as const, index: v.index }

    it('upsert inserts, then replaces vector and metadata whole', async () => {
      const col = await h.create(spec)
      await col.upsert([
        { id: 'a', vector: [1, 2, 3], metadata: { keep: 1, drop: 'x' } },
        { id: 'b', vector: [4, 5, 6] },
      ])
      expect(await col.count()).toBe(2)
      await col.upsert([{ id: 'a', vector: [7, 8, 9], metadata: { keep: 2 } }])
      expect(await col.count()).toBe(2)
      const [a] = await col.get(['a'])
      expect(a?.id).toBe('a')
      expectSameVector('l2', a?.vector, [7, 8, 9])
      expect(a?.metadata).toEqual({ keep: 2 })
      // Replacing with no metadata clears it.
      await col.upsert([{ id: 'a', vector: [7, 8, 9] }])
      expect(normMeta((await col.get(['a']))[0]?.metadata)).toEqual({})
      const hits = await col.search([7, 8, 9], { k: 1, exact: true })
      expect(hits[0]?.id).toBe('a')
      expect(hits[0]?.distance).toBeCloseTo(0, 5)
    })

    it('get returns float32-equal vectors and the metadata as stored', async () => {
      const col = await h.create(spec)
      const meta = {
        s: 'é😀',
        n: -1.5,
        b: false,
        z: null,
        arr: [1, 'two', null, { x: [] }],
        o: { p: { q: 1 } },
      }
      await col.upsert([{ id: 'm', vector: [0.1, 0.2, 0.3], metadata: meta }])
      const [m] = await col.get(['m'])
      expectSameVector('l2', m?.vector, [0.1, 0.2, 0.3])
      expect(m?.metadata).toEqual(meta)
    })

    it('stores copies: mutating the input after upsert changes nothing', async () => {
      const col = await h.create(spec)
      const vector = new Float32Array([1, 2, 3])
      const metadata = { tags: ['a'] }
      await col.upsert([{ id: 'a', vector, metadata }])
      vector[0] = 100
      metadata.tags.push('b')
      const [a] = await col.get(['a'])
      expectSameVector('l2', a?.vector, [1, 2, 3])
      expect(a?.metadata).toEqual({ tags: ['a'] })
    })

    for (const [label, bad, code, path] of BAD_RECORDS)
      it(`a batch with one invalid record (${label}) is ${code} and writes nothing`, async () => {
        const col = await h.create(spec)
        await col.upsert([{ id: 'keep', vector: [1, 1, 1], metadata: { v: 1 } }])
        const batch = [
          { id: 'new1', vector: [1, 0, 0] },
          { id: 'keep', vector: [9, 9, 9], metadata: { v: 2 } },
          bad,
          { id: 'new2', vector: [0, 1, 0] },
        ] as unknown as VectorRecord[]
        const err = await expectCode(() => col.upsert(batch), code)
        if (path) expect(err.message).toContain(path)
        expect(await col.count()).toBe(1)
        const got = await col.get(['new1', 'keep', 'new2', 'bad'])
        expect(got.map((r) => r.id)).toEqual(['keep'])
        expect(got[0]?.metadata).toEqual({ v: 1 })
      })

    it('duplicate ids in one batch: the last one wins', async () => {
      const col = await h.create(spec)
      await col.upsert([
        { id: 'd', vector: [1, 0, 0], metadata: { n: 1 } },
        { id: 'e', vector: [0, 1, 0] },
        { id: 'd', vector: [0, 0, 1], metadata: { n: 3 } },
      ])
      expect(await col.count()).toBe(2)
      const [d] = await col.get(['d'])
      expectSameVector('l2', d?.vector, [0, 0, 1])
      expect(d?.metadata).toEqual({ n: 3 })
      expect(await col.count({ n: 1 })).toBe(0)
    })

    it('get skips missing ids and keeps the order asked', async () => {
      const col = await h.create(spec)
      await col.upsert(randomRecords(5, 3, 11))
      const got = await col.get(['r003', 'nope', 'r000', 'r004', 'zz'])
      expect(got.map((r) => r.id)).toEqual(['r003', 'r000', 'r004'])
      expect(await col.get([])).toEqual([])
      // One result per id asked, so a repeated id comes back twice.
      expect((await col.get(['r001', 'r001'])).map((r) => r.id)).toEqual(['r001', 'r001'])
      expect(await col.get(['missing'])).toEqual([])
    })

    it('delete by ids returns how many existed', async () => {
      const col = await h.create(spec)
      const records = randomRecords(5, 3, 12)
      await col.upsert(records)
      expect(await col.delete(['r001', 'r003', 'missing'])).toBe(2)
      expect(await col.delete(['r001'])).toBe(0)
      expect(await col.delete([])).toBe(0)
      expect(await col.delete(['r002', 'r002'])).toBe(1)
      await col.upsert([records[2]!])
      expect(await col.count()).toBe(3)
      expect((await col.get(['r001', 'r002', 'r003'])).map((r) => r.id)).toEqual(['r002'])
      const hits = await col.search([0, 0, 0], { k: 10, exact: true })
      expect(hits.map((x) => x.id).sort()).toEqual(['r000', 'r002', 'r004'])
    })

    it('delete by filter returns the count; {} deletes all; an absent filter is VALIDATION', async () => {
      const col = await h.create(spec)
      await col.upsert(randomRecords(6, 3, 13, 'r', (i) => ({ even: i % 2 === 0, i })))
      expect(await col.delete({ filter: { even: true } })).toBe(3)
      expect(await col.count()).toBe(3)
      expect(await col.delete({ filter: { i: { $gt: 100 } } })).toBe(0)
      await expectCode(() => col.delete({ filter: undefined as never }), 'VALIDATION')
      await expectCode(() => col.delete({ filter: null as never }), 'VALIDATION')
      expect(await col.count()).toBe(3)
      expect(await col.delete({ filter: {} })).toBe(3)
      expect(await col.count()).toBe(0)
    })

    it('an empty batch is a no-op; a batch over LIMITS.maxBatchSize is VALIDATION', async () => {
      const col = await h.create(spec)
      await col.upsert([])
      expect(await col.count()).toBe(0)
      const tooMany = randomRecords(LIMITS.maxBatchSize + 1, 3, 16)
      await expectCode(() => col.upsert(tooMany), 'VALIDATION')
      expect(await col.count()).toBe(0)
    })

    it('a large batch (2,000 records) lands whole (bulk paths included)', async () => {
      const col = await h.create(spec)
      // Big enough for bulk ingest paths, small enough for HNSW builds on a shared CI machine.
      const records = randomRecords(2_000, 3, 17, 'bulk', (i) => ({ i, odd: i % 2 === 1 }))
      await col.upsert(records)
      expect(await col.count()).toBe(records.length)
      expect(await col.count({ odd: true })).toBe(records.length / 2)
      const sample = [records[0]!, records[1234]!, records[records.length - 1]!]
      const got = await col.get(sample.map((r) => r.id))
      for (const [i, r] of got.entries()) {
        expectSameVector('l2', r.vector, sample[i]!.vector)
        expect(r.metadata).toEqual(sample[i]!.metadata)
      }
      const hit = await col.search(records[1234]!.vector, { k: 1, exact: true })
      expect(hit[0]?.id).toBe(records[1234]!.id)
      expect(await col.delete({ filter: { odd: true } })).toBe(records.length / 2)
    })

    it('count with and without a filter', async () => {
      const col = await h.create(spec)
      expect(await col.count()).toBe(0)
      await col.upsert(randomRecords(7, 3, 14, 'r', (i) => ({ i, g: i < 3 ? 'low' : 'high' })))
      expect(await col.count()).toBe(7)
      expect(await col.count({})).toBe(7)
      expect(await col.count({ g: 'low' })).toBe(3)
      expect(await col.count({ i: { $gte: 5 } })).toBe(2)
    })

    it('stats report count, dimensions, metric and index', async () => {
      const col = await h.create(spec)
      await col.upsert(randomRecords(4, 3, 15))
      await col.delete(['r000'])
      const s = await col.stats()
      expect(s.name).toBe(col.name)
      expect(s.count).toBe(3)
      expect(s.dimensions).toBe(3)
      expect(s.metric).toBe('l2')
      expect(s.index).toEqual(col.spec.index)
      expect(s.tombstones).toBeGreaterThanOrEqual(0)
      expect(s.bytes).toBeGreaterThanOrEqual(0)
    })
  })
}
