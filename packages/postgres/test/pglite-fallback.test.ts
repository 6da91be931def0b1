import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore } from '../src/index'
import { startPglite } from './test-database'

// The in-process fallback for users with neither a server nor Docker: PGlite served over
// pglite-socket. It runs in every environment (CI included), because the store must adapt to it
// on its own: no COPY FROM STDIN there, and one session shared by every connection.
let pglite: { url: string; stop: () => Promise<void> }

beforeAll(async () => {
  pglite = await startPglite()
}, 120_000)

afterAll(async () => {
  await pglite?.stop()
})

describe('PostgresStore on PGlite over pglite-socket, with default options', () => {
  it('ingests without COPY and keeps concurrent batches apart on the single session', async () => {
    const store = await PostgresStore.connect({
      connectionString: pglite.url,
      schema: 'vk_pglite',
      purgeIntervalMs: 0,
    })
    try {
      const docs = await store.createCollection('docs', { dimensions: 4, metric: 'l2' })
      const batch = (from: number) =>
        Array.from({ length: 20 }, (_, i) => ({
          id: `r${String(from + i).padStart(3, '0')}`,
          vector: [from + i, 1, 2, 3],
          metadata: { even: (from + i) % 2 === 0 },
        }))
      await Promise.all([docs.upsert(batch(0)), docs.upsert(batch(20)), docs.upsert(batch(40))])
      expect(await docs.count()).toBe(60)
      expect(await docs.count({ even: true })).toBe(30)
      const hits = await docs.search([10, 1, 2, 3], { k: 3, exact: true })
      expect(hits.map((h) => h.id)).toEqual(['r010', 'r009', 'r011'])
      expect(hits[0]!.distance).toBeCloseTo(0, 6)
    } finally {
      await store.close()
    }
  }, 120_000)
})
