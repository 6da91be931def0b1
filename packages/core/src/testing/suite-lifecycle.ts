import { describe, expect, it } from 'vitest'
import type { VectorRecord } from '../types'
import { randomRecords } from './data'
import { collectScan, expectCode, type Harness } from './harness'
import type { ConformanceOptions } from './options'

/** close(), concurrency, whole-batch visibility and TTL. */
export function lifecycleCases(h: Harness, options: ConformanceOptions): void {
  const timeout = options.timeoutMs ?? 60_000

  describe('close', () => {
    it('operations after close() are CLOSED, on the store and on open collections', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      await col.upsert([{ id: 'a', vector: [1, 0] }])
      await h.store.close()
      const s = h.store
      await expectCode(() => s.createCollection('anything', { dimensions: 2, metric: 'l2' }), 'CLOSED')
      await expectCode(() => s.collection(col.name), 'CLOSED')
      await expectCode(() => s.listCollections(), 'CLOSED')
      await expectCode(() => s.dropCollection(col.name), 'CLOSED')
      await expectCode(() => col.upsert([{ id: 'b', vector: [0, 1] }]), 'CLOSED')
      await expectCode(() => col.get(['a']), 'CLOSED')
      await expectCode(() => col.delete(['a']), 'CLOSED')
      await expectCode(() => col.delete({ filter: {} }), 'CLOSED')
      await expectCode(() => col.search([1, 0]), 'CLOSED')
      await expectCode(() => col.count(), 'CLOSED')
      await expectCode(() => collectScan(col.scan()), 'CLOSED')
      await expectCode(() => col.stats(), 'CLOSED')
    })

    it('a second close() is a no-op', async () => {
      await h.store.close()
      await h.store.close()
      await expectCode(() => h.store.listCollections(), 'CLOSED')
    })

    it('close() lets in-flight writes finish', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      const write = col.upsert(randomRecords(50, 2, 91))
      await h.store.close()
      await expect(write).resolves.toBeUndefined()
    })
  })

  describe('concurrency', () => {
    it(
      'concurrent upserts all land',
      async () => {
        const col = await h.create({ dimensions: 4, metric: 'cosine' })
        const batches = Array.from({ length: 20 }, (_, b) => randomRecords(25, 4, 100 + b, `b${b}-`))
        await Promise.all(batches.map((batch) => col.upsert(batch)))
        expect(await col.count()).toBe(500)
        const ids = batches.flat().map((r) => r.id)
        expect((await col.get(ids)).map((r) => r.id)).toEqual(ids)
      },
      timeout,
    )

    it(
      'a whole upsert batch becomes visible at once to concurrent searches',
      async () => {
        const col = await h.create({ dimensions: 4, metric: 'l2' })
        const n = 200
        const gen = (g: number): VectorRecord[] => randomRecords(n, 4, 200 + g, 'v', () => ({ g }))
        await col.upsert(gen(1))
        const observed: number[][] = []
        let done = false
        const reader = (async () => {
          while (!done || observed.length < 3) {
            const hits = await col.search([0, 0, 0, 0], { k: 1000, exact: true })
            observed.push([1, 2, 3].map((g) => hits.filter((x) => x.metadata?.g === g).length))
          }
        })()
        for (const g of [2, 3]) await col.upsert(gen(g))
        done = true
        await reader
        for (const counts of observed) {
          expect(
            counts.reduce((a, b) => a + b, 0),
            `a search saw ${counts}`,
          ).toBe(n)
          expect(
            counts.filter((c) => c !== 0),
            `a search saw a half-applied batch: ${counts}`,
          ).toHaveLength(1)
        }
        expect(await col.count({ g: 3 })).toBe(n)
      },
      timeout,
    )
  })

  describe('ttl', () => {
    it('records past expiresAt are invisible to get, search, count, scan and stats (or TTL is UNSUPPORTED)', async () => {
      const col = await h.create({ dimensions: 2, metric: 'l2' })
      const past = new Date(Date.now() - 60_000)
      const future = new Date(Date.now() + 3_600_000)
      const records: VectorRecord[] = [
        { id: 'live', vector: [1, 0], metadata: { k: 1 } },
        { id: 'later', vector: [0, 1], metadata: { k: 1 }, expiresAt: future },
        { id: 'gone', vector: [1, 0.1], metadata: { k: 1 }, expiresAt: past },
      ]
      if (!h.store.capabilities.ttl) {
        await expectCode(() => col.upsert(records), 'UNSUPPORTED')
        expect(await col.count()).toBe(0)
        return
      }
      await col.upsert(records)
      expect((await col.get(['live', 'later', 'gone'])).map((r) => r.id)).toEqual(['live', 'later'])
      const later = (await col.get(['later']))[0]
      if (later?.expiresAt) expect(later.expiresAt.getTime()).toBe(future.getTime())
      expect((await col.search([1, 0], { k: 10, exact: true })).map((x) => x.id)).toEqual(['live', 'later'])
      expect((await col.search([1, 0], { k: 10 })).map((x) => x.id)).toEqual(['live', 'later'])
      expect(await col.count()).toBe(2)
      expect(await col.count({ k: 1 })).toBe(2)
      expect((await collectScan(col.scan())).flat().map((r) => r.id)).toEqual(['later', 'live'])
      expect((await col.stats()).count).toBe(2)
      // Upserting again without expiresAt brings it back for good.
      await col.upsert([{ id: 'gone', vector: [1, 0.1] }])
      expect(await col.count()).toBe(3)
      // Expiring a live record hides it at once.
      await col.upsert([{ id: 'live', vector: [1, 0], expiresAt: past }])
      expect((await col.get(['live'])).length).toBe(0)
      expect(await col.count()).toBe(2)
    })
  })
}
