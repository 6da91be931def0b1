import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { rng } from './fixtures'

const COLLECTIONS = 10_000
const PER_COLLECTION = 100
const DIM = 16

describe('many small collections (per-user agent memory)', () => {
  it(`holds ${COLLECTIONS} HNSW collections of ${PER_COLLECTION} vectors each in one store`, async () => {
    const rss0 = process.memoryUsage().rss
    const started = performance.now()
    const store = await MemoryStore.open({ ttlSweepIntervalMs: 0 })
    const rand = rng(2024)
    const probes: { name: string; id: string; vector: number[] }[] = []
    for (let c = 0; c < COLLECTIONS; c++) {
      const name = `user-${c}`
      const col = await store.createCollection(name, {
        dimensions: DIM,
        metric: 'cosine',
        index: { type: 'hnsw', profile: 'speed' },
      })
      const records = Array.from({ length: PER_COLLECTION }, (_, i) => ({
        id: `mem-${i}`,
        vector: Array.from({ length: DIM }, () => rand() - 0.5),
        metadata: { turn: i },
      }))
      await col.upsert(records)
      if (c % 500 === 0)
        probes.push({
          name,
          id: records[c % PER_COLLECTION]!.id,
          vector: records[c % PER_COLLECTION]!.vector,
        })
    }
    const buildMs = performance.now() - started
    const rssBytes = process.memoryUsage().rss - rss0
    expect((await store.listCollections()).length).toBe(COLLECTIONS)
    for (const p of probes) {
      const col = await store.collection(p.name)
      expect(await col.count()).toBe(PER_COLLECTION)
      const [hit] = await col.search(p.vector, { k: 1 })
      expect(hit!.id).toBe(p.id)
    }
    // Collections are isolated: the same ids live independently in each.
    const a = await store.collection('user-1')
    await a.delete(['mem-0'])
    expect(await (await store.collection('user-2')).get(['mem-0'])).toHaveLength(1)
    for (let c = 0; c < COLLECTIONS; c += 2) await store.dropCollection(`user-${c}`)
    expect((await store.listCollections()).length).toBe(COLLECTIONS / 2)
    console.info(
      `[many-collections] ${COLLECTIONS} x ${PER_COLLECTION} x ${DIM}d HNSW: build ${Math.round(buildMs)} ms, ` +
        `RSS +${(rssBytes / 2 ** 20).toFixed(0)} MiB (${Math.round(rssBytes / COLLECTIONS)} B per collection)`,
    )
    await store.close()
  }, 300_000)
})
