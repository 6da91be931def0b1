import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { clustered, recall, sift5k } from './fixtures'

describe('HNSW recall against exact ground truth', () => {
  it('sift-5k (L2): recall@10 >= 0.98 with the balanced profile', async () => {
    const { base, queries } = sift5k()
    const store = await MemoryStore.open()
    const flat = await store.createCollection('flat', { dimensions: 128, metric: 'l2' })
    const hnsw = await store.createCollection('hnsw', {
      dimensions: 128,
      metric: 'l2',
      index: { type: 'hnsw' },
    })
    const records = base.map((vector, i) => ({ id: `s${i}`, vector }))
    for (let i = 0; i < records.length; i += 1000) {
      await flat.upsert(records.slice(i, i + 1000))
      await hnsw.upsert(records.slice(i, i + 1000))
    }
    const truth: string[][] = []
    const got: string[][] = []
    const low: string[][] = []
    for (const q of queries) {
      truth.push((await flat.search(q, { k: 10 })).map((h) => h.id))
      got.push((await hnsw.search(q, { k: 10 })).map((h) => h.id))
      low.push((await hnsw.search(q, { k: 10, efSearch: 10 })).map((h) => h.id))
    }
    expect(recall(got, truth)).toBeGreaterThanOrEqual(0.98)
    // A smaller per-query efSearch trades recall away: the override is honoured.
    expect(recall(low, truth)).toBeLessThan(recall(got, truth))
    // `exact: true` bypasses the graph.
    const exact = (await hnsw.search(queries[0]!, { k: 10, exact: true })).map((h) => h.id)
    expect(exact).toEqual(truth[0])
    await store.close()
  })

  for (const metric of ['cosine', 'dot', 'l2'] as const) {
    it(`seeded clustered 6,000 x 48 (${metric}): recall@10 >= 0.95`, async () => {
      const data = clustered(6000, 48, 7)
      const queries = clustered(200, 48, 8)
      const store = await MemoryStore.open({ seed: 1 })
      const flat = await store.createCollection('flat', { dimensions: 48, metric })
      const hnsw = await store.createCollection('hnsw', { dimensions: 48, metric, index: { type: 'hnsw' } })
      const records = data.map((vector, i) => ({ id: `c${i}`, vector }))
      for (let i = 0; i < records.length; i += 2000) {
        await flat.upsert(records.slice(i, i + 2000))
        await hnsw.upsert(records.slice(i, i + 2000))
      }
      const truth: string[][] = []
      const got: string[][] = []
      for (const q of queries) {
        truth.push((await flat.search(q, { k: 10 })).map((h) => h.id))
        const hits = await hnsw.search(q, { k: 10 })
        got.push(hits.map((h) => h.id))
        for (let i = 1; i < hits.length; i++)
          expect(hits[i]!.distance).toBeGreaterThanOrEqual(hits[i - 1]!.distance)
      }
      expect(recall(got, truth)).toBeGreaterThanOrEqual(0.95)
      await store.close()
    })
  }
})
