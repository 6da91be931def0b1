import { compareIds, distance } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { rng } from './fixtures'

const hnsw = { type: 'hnsw' as const, m: 4, efConstruction: 8, efSearch: 4 }

describe('HNSW edge cases', () => {
  it('handles 0, 1 and 2 records', async () => {
    const store = await MemoryStore.open({ hnswMinRows: 0 })
    const c = await store.createCollection('e', { dimensions: 3, metric: 'cosine', index: hnsw })
    expect(await c.search([1, 0, 0], { k: 3 })).toEqual([])
    await c.upsert([{ id: 'one', vector: [1, 0, 0] }])
    expect((await c.search([0, 1, 0], { k: 3 })).map((h) => h.id)).toEqual(['one'])
    await c.upsert([{ id: 'two', vector: [0, 1, 0] }])
    expect((await c.search([0, 1, 0], { k: 3 })).map((h) => h.id)).toEqual(['two', 'one'])
    await c.delete(['two'])
    expect((await c.search([0, 1, 0], { k: 3 })).map((h) => h.id)).toEqual(['one'])
    await c.delete(['one'])
    expect(await c.search([0, 1, 0], { k: 3 })).toEqual([])
    await store.close()
  })

  it('returns every record, in order, when k >= n (small efSearch notwithstanding)', async () => {
    const store = await MemoryStore.open({ hnswMinRows: 0 })
    const c = await store.createCollection('k', { dimensions: 2, metric: 'l2', index: hnsw })
    const rand = rng(1)
    const data = Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, vector: [rand(), rand()] }))
    await c.upsert(data)
    const q = [0.5, 0.5]
    const hits = await c.search(q, { k: 100 })
    const expected = data
      .map((r) => ({ id: r.id, d: distance('l2', q, r.vector) }))
      .sort((a, b) => a.d - b.d || compareIds(a.id, b.id))
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id))
    await store.close()
  })

  it('orders duplicate vectors by id', async () => {
    const store = await MemoryStore.open({ hnswMinRows: 0 })
    const c = await store.createCollection('d', { dimensions: 4, metric: 'dot', index: hnsw })
    const ids = Array.from({ length: 40 }, (_, i) => `dup-${(i * 7919) % 40}`)
    await c.upsert(ids.map((id) => ({ id, vector: [1, 2, 3, 4] })))
    await c.upsert([{ id: 'far', vector: [-1, -1, -1, -1] }])
    const hits = await c.search([1, 1, 1, 1], { k: 41 })
    expect(hits.map((h) => h.id)).toEqual([...[...new Set(ids)].sort(compareIds), 'far'])
    expect(hits[0]!.distance).toBe(-10)
    await store.close()
  })

  it('scans small collections exactly and links the graph once they reach hnswMinRows', async () => {
    const store = await MemoryStore.open({ hnswMinRows: 100 })
    const spec = { dimensions: 8, metric: 'cosine' as const }
    const flat = await store.createCollection('flat', spec)
    const h = await store.createCollection('h', { ...spec, index: { type: 'hnsw', profile: 'speed' } })
    const rand = rng(77)
    const data = Array.from({ length: 160 }, (_, i) => ({
      id: `s${i}`,
      vector: Array.from({ length: 8 }, () => rand() - 0.5),
    }))
    await flat.upsert(data.slice(0, 99))
    await h.upsert(data.slice(0, 99))
    await h.delete(['s1'])
    await flat.delete(['s1'])
    expect((await h.stats()).details).toMatchObject({ linked: false, graphBytes: expect.any(Number) })
    expect((await h.stats()).tombstones).toBe(0)
    await flat.upsert(data.slice(99))
    await h.upsert(data.slice(99))
    expect((await h.stats()).details).toMatchObject({ linked: true })
    for (let i = 0; i < 10; i++) {
      const q = data[i * 13]!.vector
      expect((await h.search(q, { k: 5 })).map((x) => x.id)).toEqual(
        (await flat.search(q, { k: 5 })).map((x) => x.id),
      )
    }
    await store.close()
  })

  for (const dim of [1, 3, 5, 7, 13, 130]) {
    it(`matches the exact index for ${dim} dimensions (not a multiple of 4 but 130's rows)`, async () => {
      const store = await MemoryStore.open({ hnswMinRows: 0 })
      const spec = { dimensions: dim, metric: 'l2' as const }
      const flat = await store.createCollection('flat', spec)
      const h = await store.createCollection('h', { ...spec, index: { type: 'hnsw', profile: 'quality' } })
      const rand = rng(dim)
      const data = Array.from({ length: 300 }, (_, i) => ({
        id: `v${i}`,
        vector: Array.from({ length: dim }, () => rand()),
      }))
      await flat.upsert(data)
      await h.upsert(data)
      for (let i = 0; i < 10; i++) {
        const q = Array.from({ length: dim }, () => rand())
        const want = await flat.search(q, { k: 5 })
        const got = await h.search(q, { k: 5 })
        expect(got.map((x) => x.id)).toEqual(want.map((x) => x.id))
        for (let j = 0; j < got.length; j++) expect(got[j]!.distance).toBeCloseTo(want[j]!.distance, 5)
      }
      const [rec] = await h.get(['v3'])
      expect([...rec!.vector]).toEqual([...Float32Array.from(data[3]!.vector)])
      await store.close()
    })
  }
})
