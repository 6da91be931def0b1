import { compileFilter, type Filter } from '@vectorkit/core'
import { afterAll, describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { clustered, recall } from './fixtures'

const N = 6000
const DIM = 32

// bucket = i % 1000, so "bucket < x" selects x/1000 of the records.
const cases: { name: string; filter: Filter; matches: number }[] = [
  { name: '50%', filter: { bucket: { $lt: 500 } }, matches: N / 2 },
  { name: '10%', filter: { bucket: { $lt: 100 } }, matches: N / 10 },
  { name: '1%', filter: { bucket: { $lt: 10 } }, matches: N / 100 },
  { name: '0.1%', filter: { bucket: { $lt: 1 } }, matches: N / 1000 },
  { name: '10% via $or/$in', filter: { $or: [{ tag: { $in: ['t3'] } }, { bucket: -1 }] }, matches: N / 10 },
]

describe('HNSW filtered search', async () => {
  const store = await MemoryStore.open({ seed: 4 })
  const flat = await store.createCollection('flat', { dimensions: DIM, metric: 'cosine' })
  const hnsw = await store.createCollection('hnsw', {
    dimensions: DIM,
    metric: 'cosine',
    index: { type: 'hnsw', profile: 'speed' },
  })
  const records = clustered(N, DIM, 51).map((vector, i) => ({
    id: `f${i}`,
    vector,
    metadata: { bucket: i % 1000, tag: `t${i % 10}` },
  }))
  for (let i = 0; i < N; i += 2000) {
    await flat.upsert(records.slice(i, i + 2000))
    await hnsw.upsert(records.slice(i, i + 2000))
  }
  const queries = clustered(60, DIM, 52)
  afterAll(() => store.close())

  for (const { name, filter, matches } of cases) {
    it(`at ${name} selectivity: every hit matches, k hits when k match, recall >= 0.95`, async () => {
      const pred = compileFilter(filter)
      expect(await hnsw.count(filter)).toBe(matches)
      const truth: string[][] = []
      const got: string[][] = []
      for (const q of queries) {
        const hits = await hnsw.search(q, { k: 10, filter })
        expect(hits.length).toBe(Math.min(10, matches))
        for (const h of hits) expect(pred(h.metadata)).toBe(true)
        got.push(hits.map((h) => h.id))
        truth.push((await flat.search(q, { k: 10, filter })).map((h) => h.id))
      }
      expect(recall(got, truth)).toBeGreaterThanOrEqual(0.95)
    })
  }

  it('returns k hits for a large k under a filter, and honours excludeIds', async () => {
    const filter = { tag: 't1' }
    const q = queries[0]!
    const hits = await hnsw.search(q, { k: 500, filter })
    expect(hits.length).toBe(500)
    expect(new Set(hits.map((h) => h.id)).size).toBe(500)
    const excluded = hits.slice(0, 5).map((h) => h.id)
    const rest = await hnsw.search(q, { k: 5, filter, excludeIds: excluded })
    for (const h of rest) expect(excluded).not.toContain(h.id)
    expect(rest.length).toBe(5)
  })

  it('returns nothing when nothing matches', async () => {
    expect(await hnsw.search(queries[1]!, { k: 10, filter: { tag: 'none' } })).toEqual([])
  })
})
