import type { ChangeEvent, VectorStore } from '@vectorkit/core'
import { PostgresStore } from '@vectorkit/postgres'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
// The Postgres package's own test-database helper (VECTORKIT_TEST_DATABASE_URL, required under CI).
import {
  getTestDatabase,
  markPostgresTestRan,
  requireRealPostgres,
  type TestDatabase,
} from '../../postgres/test/test-database'
import { withCache } from '../src/index'

let db: TestDatabase
let schema: string
const opened: VectorStore[] = []

beforeAll(async () => {
  db = await getTestDatabase()
  schema = db.newSchema('vklisten')
})

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()))
})

afterAll(async () => {
  await db.cleanup()
})

/** A process's view: its own pool and its own LISTEN session. */
async function openProcess() {
  const raw = await PostgresStore.connect({
    connectionString: db.url,
    listenConnectionString: db.url,
    schema,
    purgeIntervalMs: 0,
  })
  const store = withCache(raw, { ttl: 0 })
  opened.push(store)
  /** Resolves on the next change event for `collection` seen by this process. */
  const nextChange = (collection: string) =>
    new Promise<ChangeEvent>((resolve) => {
      const off = raw.subscribeChanges!((e) => {
        if (e.collection === collection) {
          off()
          resolve(e)
        }
      })
    })
  return { raw, store, nextChange }
}

describe('cross-process invalidation over LISTEN/NOTIFY', () => {
  it('a write in one process invalidates the other process cache', async (ctx) => {
    // LISTEN/NOTIFY between two sessions: PGlite multiplexes one session, so only a server proves it.
    requireRealPostgres(db, ctx)
    const a = await openProcess()
    const b = await openProcess()
    expect(b.store.capabilities.changeNotifications).toBe(true)
    const name = `docs_${Math.random().toString(36).slice(2, 8)}`
    const colA = await a.store.createCollection(name, { dimensions: 2, metric: 'l2' })
    const barrier = await a.store.createCollection(`${name}_barrier`, { dimensions: 2, metric: 'l2' })
    await colA.upsert([{ id: 'far', vector: [1, 1] }])
    // Notifications arrive in commit order: once B hears the barrier write, it has heard every
    // earlier write too, so none can land between B's two searches below.
    const settled = b.nextChange(`${name}_barrier`)
    await barrier.upsert([{ id: 'x', vector: [0, 0] }])
    await settled
    const colB = await b.store.collection(name)
    expect((await colB.search([0, 0])).map((h) => h.id)).toEqual(['far'])
    expect((await colB.search([0, 0])).map((h) => h.id)).toEqual(['far'])
    expect(b.store.cacheStats().hits).toBe(1)

    const heard = b.nextChange(name)
    await colA.upsert([{ id: 'near', vector: [0.1, 0] }])
    expect(await heard).toEqual({ collection: name, kind: 'write' })
    // ttl is 0 (no time bound): only the notification can have made B forget the old answer.
    expect((await colB.search([0, 0])).map((h) => h.id)).toEqual(['near', 'far'])
    expect(b.store.cacheStats().invalidations).toBeGreaterThanOrEqual(1)

    const dropped = b.nextChange(name)
    await a.store.dropCollection(name)
    await a.store.dropCollection(`${name}_barrier`)
    expect(await dropped).toEqual({ collection: name, kind: 'drop' })
    await expect(colB.search([0, 0])).rejects.toMatchObject({ code: 'NOT_FOUND' })
    markPostgresTestRan(db, 'cache-listen-notify')
  })
})
