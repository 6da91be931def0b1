import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PoolExecutor } from '../src/executor'
import { PostgresStore } from '../src/index'
import { getTestDatabase, markPostgresTestRan, requireRealPostgres, type TestDatabase } from './test-database'

let db: TestDatabase

beforeAll(async () => {
  db = await getTestDatabase()
})

afterAll(async () => {
  await db.cleanup()
})

async function terminate(schemaTag: string): Promise<number> {
  const admin = new pg.Client({ connectionString: db.url })
  await admin.connect()
  try {
    // Only the sessions of this test's store: application_name carries a unique tag.
    const r = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
      [schemaTag],
    )
    return r.rowCount ?? 0
  } finally {
    await admin.end()
  }
}

describe('resilience of an owned pool', () => {
  it('idle connections killed by pg_terminate_backend do not crash the process; the next queries succeed', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vkterm')
    const url = new URL(db.url)
    url.searchParams.set('application_name', schema)
    const store = await PostgresStore.connect({
      connectionString: url.toString(),
      schema,
      purgeIntervalMs: 0,
    })
    try {
      const c = await store.createCollection('t', { dimensions: 2, metric: 'l2' })
      await Promise.all([c.upsert([{ id: 'a', vector: [1, 1] }]), c.count(), c.count()])
      expect(await terminate(schema)).toBeGreaterThan(0)
      await new Promise((r) => setTimeout(r, 100))
      // The pool's 'error' listener absorbed the idle clients' deaths; fresh connections take over.
      let ok = 0
      for (let i = 0; i < 5; i++) {
        try {
          expect(await c.count()).toBe(1)
          ok++
        } catch (err) {
          expect(err).toMatchObject({ code: 'CONNECTION' })
        }
      }
      expect(ok).toBeGreaterThanOrEqual(4)
      expect((await store.health()).status).toBe('healthy')
    } finally {
      await store.close()
    }
    markPostgresTestRan(db, 'resilience')
  })

  it('a query whose backend is terminated mid-flight fails with CONNECTION, and the pool recovers', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vkmid')
    const url = new URL(db.url)
    url.searchParams.set('application_name', schema)
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 })
    pool.on('error', () => undefined)
    const store = await PostgresStore.connect({ pool, schema, purgeIntervalMs: 0 })
    try {
      const c = await store.createCollection('t', { dimensions: 2, metric: 'l2' })
      const many = Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, vector: [Math.sin(i), Math.cos(i)] }))
      await c.upsert(many)
      // The pool's only connection is busy sleeping when its backend is killed.
      const slow = pool.query('select pg_sleep(5)').catch((e: unknown) => e)
      await new Promise((r) => setTimeout(r, 200))
      expect(await terminate(schema)).toBe(1)
      const err = await slow
      expect(err).toBeInstanceOf(Error)
      // With max 1 the dead client must have been discarded, or this would hang or fail.
      expect(await c.count()).toBe(50)
    } finally {
      await store.close()
      await pool.end()
    }
  })

  it('a client-side query_timeout gives TIMEOUT and discards the client; index builds are exempt', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1, query_timeout: 150 })
    pool.on('error', () => undefined)
    try {
      const ex = new PoolExecutor(pool, true)
      const sleep = { sql: 'select pg_sleep(0.5)', parameters: [] }
      await expect(ex.session('slow', (s) => s.query(sleep))).rejects.toMatchObject({ code: 'TIMEOUT' })
      // The abandoned socket was destroyed, not handed to the next caller still busy.
      await expect(
        ex.session('next', (s) => s.query({ sql: 'select 1 as one', parameters: [] })),
      ).resolves.toMatchObject({
        rows: [{ one: 1 }],
      })
      await expect(
        ex.session('build', (s) => s.query(sleep, 'build', { unbounded: true })),
      ).resolves.toMatchObject({
        rowCount: 1,
      })
    } finally {
      await pool.end()
    }
  })
})
