import type { ChangeEvent } from '@vectorkit/core'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore } from '../src/index'
import { getTestDatabase, markPostgresTestRan, requireRealPostgres, type TestDatabase } from './test-database'

let db: TestDatabase

beforeAll(async () => {
  db = await getTestDatabase()
})

afterAll(async () => {
  await db.cleanup()
})

function waitFor(events: ChangeEvent[], pred: (e: ChangeEvent) => boolean, ms = 5000): Promise<ChangeEvent> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const tick = () => {
      const e = events.find(pred)
      if (e) return resolve(e)
      if (Date.now() - started > ms)
        return reject(new Error(`no matching change event in ${ms} ms: ${JSON.stringify(events)}`))
      setTimeout(tick, 20)
    }
    tick()
  })
}

describe('change notifications (LISTEN/NOTIFY on its own connection)', () => {
  it('is a declared capability: absent without listenConnectionString', async () => {
    const store = await PostgresStore.connect({
      connectionString: db.url,
      schema: db.newSchema('vknone'),
      purgeIntervalMs: 0,
    })
    try {
      expect(store.capabilities.changeNotifications).toBe(false)
      expect(store.subscribeChanges).toBeUndefined()
    } finally {
      await store.close()
    }
  })

  it('a write through one store reaches a subscriber of another store (separate connections), after commit', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vknotify')
    // The writer goes through PgBouncer when available: NOTIFY works in transaction mode, LISTEN does not.
    const writer = await PostgresStore.connect({
      connectionString: db.pgbouncerUrl ?? db.url,
      transactionPooler: db.pgbouncerUrl !== undefined,
      schema,
      purgeIntervalMs: 0,
    })
    const reader = await PostgresStore.connect({
      connectionString: db.url,
      listenConnectionString: db.url,
      schema,
      purgeIntervalMs: 0,
    })
    const other = await PostgresStore.connect({ connectionString: db.url, schema: db.newSchema('vkother') })
    try {
      expect(reader.capabilities.changeNotifications).toBe(true)
      const events: ChangeEvent[] = []
      const unsubscribe = reader.subscribeChanges!((e) => events.push(e))
      const c = await writer.createCollection('docs', { dimensions: 2, metric: 'l2' })
      await c.upsert([{ id: 'a', vector: [1, 2] }])
      expect(await waitFor(events, (e) => e.collection === 'docs' && e.kind === 'write')).toBeDefined()
      events.length = 0
      await c.delete(['a'])
      await waitFor(events, (e) => e.collection === 'docs' && e.kind === 'write')
      // Another schema's writes are not this store's business.
      const o = await other.createCollection('docs', { dimensions: 2, metric: 'l2' })
      await o.upsert([{ id: 'z', vector: [1, 1] }])
      events.length = 0
      await writer.dropCollection('docs')
      await waitFor(events, (e) => e.collection === 'docs' && e.kind === 'drop')
      expect(events.filter((e) => e.kind === 'write')).toEqual([])
      unsubscribe()
      events.length = 0
      await writer
        .createCollection('late', { dimensions: 2, metric: 'l2' })
        .then((x) => x.upsert([{ id: 'b', vector: [0, 1] }]))
      await new Promise((r) => setTimeout(r, 200))
      expect(events).toEqual([])
    } finally {
      await writer.close()
      await reader.close()
      await other.close()
    }
    markPostgresTestRan(db, 'notifications')
  })

  it('after its LISTEN connection is killed, it reconnects and reports every collection as written', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vkrelisten')
    const store = await PostgresStore.connect({
      connectionString: db.url,
      listenConnectionString: db.url,
      schema,
    })
    const admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    try {
      await store.createCollection('kept', { dimensions: 2, metric: 'l2' })
      const events: ChangeEvent[] = []
      store.subscribeChanges!((e) => events.push(e))
      // Only this store's LISTEN session: its last statement names this schema's channel.
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'vectorkit-listen' and query like $1",
        [`%${schema}%`],
      )
      expect(killed.rowCount).toBe(1)
      await waitFor(events, (e) => e.collection === 'kept' && e.kind === 'write', 10_000)
      const h = await store.health()
      expect(h.checks.find((c) => c.name === 'listen')?.status).toBe('healthy')
    } finally {
      await admin.end()
      await store.close()
    }
    expect(() => store.subscribeChanges!(() => undefined)).toThrow(
      expect.objectContaining({ code: 'CLOSED' }),
    )
  })
})
