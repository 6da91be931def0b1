import { compareIds, distance, isVectorStoreError } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'

const indexes = [{ type: 'flat' as const }, { type: 'hnsw' as const, profile: 'quality' as const }]

describe.each(indexes)('MemoryStore basics (%o)', (index) => {
  it('creates, upserts, gets, searches and deletes', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('docs', { dimensions: 3, metric: 'l2', index })
    await c.upsert([
      { id: 'b', vector: [1, 0, 0], metadata: { lang: 'en' } },
      { id: 'a', vector: [0, 1, 0], metadata: { lang: 'fr' } },
      { id: 'c', vector: [0, 0, 1] },
    ])
    expect(await c.count()).toBe(3)
    expect(await c.count({ lang: 'en' })).toBe(1)
    const got = await c.get(['a', 'missing', 'c'])
    expect(got.map((r) => r.id)).toEqual(['a', 'c'])
    expect([...got[0]!.vector]).toEqual([0, 1, 0])
    const hits = await c.search([1, 0.1, 0], { k: 2 })
    expect(hits.map((h) => h.id)).toEqual(['b', 'a'])
    expect(hits[0]!.distance).toBeCloseTo(distance('l2', [1, 0.1, 0], [1, 0, 0]), 6)
    expect(hits[0]!.score).toBeCloseTo(1 / (1 + hits[0]!.distance), 9)
    expect(await c.delete(['a', 'zzz'])).toBe(1)
    expect(await c.delete({ filter: { lang: 'en' } })).toBe(1)
    expect((await c.search([1, 0, 0], { k: 10 })).map((h) => h.id)).toEqual(['c'])
    await store.close()
  })

  it('breaks ties by id and returns all when k >= n', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('t', { dimensions: 5, metric: 'cosine', index })
    const ids = ['z', 'é', 'a', '😀', '\uFFFD', 'm']
    await c.upsert(ids.map((id) => ({ id, vector: [1, 2, 3, 4, 5] })))
    const hits = await c.search([1, 2, 3, 4, 5], { k: 100 })
    expect(hits.map((h) => h.id)).toEqual([...ids].sort(compareIds))
    for (const h of hits) expect(h.distance).toBeCloseTo(0, 6)
    await store.close()
  })

  it('replaces on upsert of an existing id and keeps the last duplicate of a batch', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('r', { dimensions: 2, metric: 'dot', index })
    await c.upsert([{ id: 'x', vector: [1, 0] }])
    await c.upsert([
      { id: 'x', vector: [0, 2], metadata: { v: 1 } },
      { id: 'x', vector: [0, 3], metadata: { v: 2 } },
    ])
    expect(await c.count()).toBe(1)
    const [rec] = await c.get(['x'])
    expect([...rec!.vector]).toEqual([0, 3])
    expect(rec!.metadata).toEqual({ v: 2 })
    const [hit] = await c.search([0, 1], { k: 1 })
    expect(hit).toMatchObject({ id: 'x', distance: -3, score: 3 })
    await store.close()
  })

  it('writes nothing when one record of a batch is invalid', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('v', { dimensions: 2, metric: 'cosine', index })
    await expect(
      c.upsert([
        { id: 'ok', vector: [1, 1] },
        { id: 'bad', vector: [0, 0] },
      ]),
    ).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(c.upsert([{ id: 'dim', vector: [1, 1, 1] }])).rejects.toMatchObject({
      code: 'DIMENSION_MISMATCH',
    })
    expect(await c.count()).toBe(0)
    await store.close()
  })

  it('scans in id order from a cursor, with a filter', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('s', { dimensions: 2, metric: 'l2', index })
    const ids = Array.from({ length: 57 }, (_, i) => `id-${String(i).padStart(3, '0')}`)
    await c.upsert(ids.map((id, i) => ({ id, vector: [i, 1], metadata: { even: i % 2 === 0 } })))
    const seen: string[] = []
    for await (const batch of c.scan({ batchSize: 10 })) seen.push(...batch.map((r) => r.id))
    expect(seen).toEqual(ids)
    const after: string[] = []
    for await (const batch of c.scan({ after: 'id-050', batchSize: 3, filter: { even: true } }))
      after.push(...batch.map((r) => r.id))
    expect(after).toEqual(['id-052', 'id-054', 'id-056'])
    await store.close()
  })
})

describe('MemoryStore lifecycle', () => {
  it('handles ifNotExists, conflicts, drop and close', async () => {
    const store = await MemoryStore.open()
    expect(store.backend).toBe('memory')
    expect(store.capabilities.hnsw).toBe(true)
    const spec = { dimensions: 4, metric: 'cosine' as const }
    const a = await store.createCollection('c1', spec)
    await a.upsert([{ id: '1', vector: [1, 2, 3, 4] }])
    const again = await store.createCollection('c1', spec, { ifNotExists: true })
    expect(await again.count()).toBe(1)
    await expect(
      store.createCollection('c1', { dimensions: 5, metric: 'cosine' }, { ifNotExists: true }),
    ).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(store.createCollection('c1', spec)).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(store.createCollection('../x', spec)).rejects.toMatchObject({ code: 'VALIDATION' })
    expect((await store.listCollections()).map((c) => c.name)).toEqual(['c1'])
    await store.dropCollection('c1')
    await expect(a.count()).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(store.collection('c1')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await store.close()
    await store.close()
    const err = await store.listCollections().catch((e: unknown) => e)
    expect(isVectorStoreError(err, 'CLOSED')).toBe(true)
  })
})

describe('CollectionStats', () => {
  it('reports index type and parameters, live count, tombstones and bytes', async () => {
    const store = await MemoryStore.open({ hnswMinRows: 0 })
    const c = await store.createCollection('st', {
      dimensions: 8,
      metric: 'l2',
      index: { type: 'hnsw', profile: 'quality', m: 8 },
    })
    await c.upsert(Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, vector: new Array(8).fill(i) })))
    await c.delete(['r1', 'r2'])
    const stats = await c.stats()
    expect(stats).toMatchObject({
      name: 'st',
      dimensions: 8,
      metric: 'l2',
      count: 18,
      tombstones: 2,
      index: {
        type: 'hnsw',
        profile: 'quality',
        m: 8,
        efConstruction: 100,
        efSearch: 200,
        quantization: 'none',
      },
      details: { linked: true, simd: expect.any(Boolean) },
    })
    // Vectors (20 rows of 8 float32) plus graph plus ids: at least the raw vectors.
    expect(stats.bytes).toBeGreaterThan(20 * 8 * 4)
    const flat = await store.createCollection('fl', { dimensions: 3, metric: 'cosine' })
    expect(await flat.stats()).toMatchObject({ count: 0, tombstones: 0, index: { type: 'flat' } })
    await store.close()
  })
})
