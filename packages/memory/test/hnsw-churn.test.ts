import { describe, expect, it } from 'vitest'
import type { HnswIndex } from '../src/hnsw-index'
import { MemoryStore } from '../src/index'
import { clustered, recall, rng } from './fixtures'

const DIM = 32
const hnswSpec = {
  dimensions: DIM,
  metric: 'l2' as const,
  index: { type: 'hnsw' as const, profile: 'balanced' as const },
}

async function truthOf(store: MemoryStore, queries: Float32Array[], k: number): Promise<string[][]> {
  const flat = await store.collection('flat')
  return Promise.all(queries.map(async (q) => (await flat.search(q, { k })).map((h) => h.id)))
}

describe('HNSW churn', () => {
  it('keeps recall after deleting 50% and inserting new records; deleted ids never return', async () => {
    const store = await MemoryStore.open({ seed: 3 })
    const flat = await store.createCollection('flat', { dimensions: DIM, metric: 'l2' })
    const hnsw = await store.createCollection('hnsw', hnswSpec)
    const first = clustered(4000, DIM, 11).map((vector, i) => ({ id: `a${i}`, vector }))
    await flat.upsert(first)
    await hnsw.upsert(first)
    const rand = rng(5)
    const doomed = first.filter(() => rand() < 0.5).map((r) => r.id)
    for (let i = 0; i < doomed.length; i += 300) {
      const ids = doomed.slice(i, i + 300)
      expect(await hnsw.delete(ids)).toBe(ids.length)
      await flat.delete(ids)
    }
    const second = clustered(2000, DIM, 12).map((vector, i) => ({ id: `b${i}`, vector }))
    await flat.upsert(second)
    await hnsw.upsert(second)
    expect(await hnsw.count()).toBe(await flat.count())
    const stats = await hnsw.stats()
    // Repair ran: tombstones stay a small share of the live records.
    expect(stats.tombstones).toBeLessThanOrEqual(stats.count / 8)
    expect((stats.details as { repairs: number }).repairs).toBeGreaterThan(0)

    const queries = clustered(200, DIM, 13)
    const truth = await truthOf(store, queries, 10)
    const dead = new Set(doomed)
    const got: string[][] = []
    for (const q of queries) {
      const hits = await hnsw.search(q, { k: 10 })
      for (const h of hits) expect(dead.has(h.id)).toBe(false)
      got.push(hits.map((h) => h.id))
    }
    expect(recall(got, truth)).toBeGreaterThanOrEqual(0.95)
    await store.close()
  })

  it('updates move a record: upserting an existing id replaces its vector and metadata', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('u', hnswSpec)
    const data = clustered(1500, DIM, 21)
    await c.upsert(data.map((vector, i) => ({ id: `r${i}`, vector, metadata: { v: 1 } })))
    const moved = clustered(300, DIM, 22)
    await c.upsert(moved.map((vector, i) => ({ id: `r${i}`, vector, metadata: { v: 2 } })))
    expect(await c.count()).toBe(1500)
    expect(await c.count({ v: 2 })).toBe(300)
    for (let i = 0; i < 300; i += 37) {
      const [hit] = await c.search(moved[i]!, { k: 1 })
      expect(hit).toMatchObject({ id: `r${i}`, metadata: { v: 2 } })
      expect(hit!.distance).toBeCloseTo(0, 5)
    }
    await store.close()
  })

  it('survives deleting everything and starting over', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('z', hnswSpec)
    const data = clustered(500, DIM, 31).map((vector, i) => ({ id: `x${i}`, vector }))
    await c.upsert(data)
    expect(await c.delete({ filter: {} })).toBe(500)
    expect(await c.search(data[0]!.vector, { k: 5 })).toEqual([])
    await c.upsert(data.slice(0, 50))
    const hits = await c.search(data[7]!.vector, { k: 5 })
    expect(hits[0]!.id).toBe('x7')
    expect((await c.stats()).tombstones).toBe(0)
    await store.close()
  })

  it('builds the same graph for the same seed and writes', async () => {
    const data = clustered(1200, DIM, 41).map((vector, i) => ({ id: `d${i}`, vector }))
    const graphs = []
    for (const seed of [9, 9, 10]) {
      const store = await MemoryStore.open({ seed })
      const c = await store.createCollection('g', hnswSpec)
      await c.upsert(data.slice(0, 700))
      await c.delete(data.slice(0, 200).map((r) => r.id))
      await c.upsert(data.slice(700))
      const index = store.states.get('g')!.index as HnswIndex
      graphs.push(index.exportState().graph)
      await store.close()
    }
    expect(graphs[1]!.level0).toEqual(graphs[0]!.level0)
    expect(graphs[1]!.levels).toEqual(graphs[0]!.levels)
    expect(graphs[1]!.json).toEqual(graphs[0]!.json)
    expect(graphs[2]!.levels).not.toEqual(graphs[0]!.levels)
  })
})
