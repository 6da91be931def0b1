import { isVectorStoreError } from '@vectorkit/core'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore, SCHEMA_VERSION } from '../src/index'
import {
  getTestDatabase,
  markPostgresTestRan,
  requireRealPostgres,
  storeOptions,
  type TestDatabase,
} from './test-database'

let db: TestDatabase

beforeAll(async () => {
  db = await getTestDatabase()
})

afterAll(async () => {
  await db.cleanup()
})

describe('connection options and pool ownership', () => {
  it('fails fast on bad options, naming the option', async () => {
    await expect(PostgresStore.connect({})).rejects.toThrow(
      'give exactly one of connectionString, pool or kysely',
    )
    await expect(
      PostgresStore.connect({ connectionString: db.url, schema: 'Bad"Schema' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await expect(PostgresStore.connect({ connectionString: db.url, statementTimeoutMs: -1 })).rejects.toThrow(
      'statementTimeoutMs must be a non-negative integer',
    )
  })

  it('never ends a pool the caller owns; close() is idempotent and later use is CLOSED', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 })
    try {
      const store = await PostgresStore.connect({ pool, schema: db.newSchema('vkown'), purgeIntervalMs: 0 })
      await store.createCollection('a', { dimensions: 2, metric: 'l2' })
      await store.close()
      await store.close()
      await expect(store.listCollections()).rejects.toMatchObject({ code: 'CLOSED' })
      const r = await pool.query('select 1 as one')
      expect(r.rows[0].one).toBe(1)
    } finally {
      await pool.end()
    }
    markPostgresTestRan(db, 'store')
  })

  it('close() waits for in-flight operations, then rejects new ones with CLOSED', async () => {
    const store = await PostgresStore.connect(storeOptions(db, db.newSchema('vkclose')))
    const c = await store.createCollection('c', { dimensions: 3, metric: 'cosine' })
    const write = c.upsert([{ id: 'x', vector: [1, 2, 3] }])
    const closing = store.close()
    await expect(write).resolves.toBeUndefined()
    await closing
    await expect(c.count()).rejects.toMatchObject({ code: 'CLOSED' })
    await expect(c.search([1, 0, 0])).rejects.toMatchObject({ code: 'CLOSED' })
    await expect(store.health()).rejects.toMatchObject({ code: 'CLOSED' })
  })

  it('works through a caller-owned Kysely instance (unnest ingest), and leaves it usable', async () => {
    const kysely = new Kysely<Record<string, never>>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 2 }) }),
    })
    try {
      const store = await PostgresStore.connect({
        kysely,
        schema: db.newSchema('vkkysely'),
        purgeIntervalMs: 0,
      })
      const c = await store.createCollection('k', { dimensions: 3, metric: 'l2', index: { type: 'hnsw' } })
      await c.upsert([
        { id: 'a', vector: [0, 0, 1], metadata: { t: 'x' } },
        { id: 'b', vector: [0, 1, 0], metadata: { t: 'y' }, expiresAt: new Date(Date.now() + 60_000) },
      ])
      expect(await c.count({ t: 'x' })).toBe(1)
      const hits = await c.search([0, 0, 1], { k: 2 })
      expect(hits.map((h) => h.id)).toEqual(['a', 'b'])
      expect(hits[0]!.distance).toBeCloseTo(0, 6)
      const [b] = await c.get(['b'])
      expect(b!.expiresAt).toBeInstanceOf(Date)
      await store.close()
      const r = await kysely.selectNoFrom((eb) => eb.val(1).as('one')).execute()
      expect(Number(r[0]!.one)).toBe(1)
    } finally {
      await kysely.destroy()
    }
  })

  it('reports health: SELECT 1 latency, pgvector version, pool counts', async () => {
    const store = await PostgresStore.connect(storeOptions(db, db.newSchema('vkhealth')))
    try {
      const h = await store.health()
      expect(h.backend).toBe('postgres')
      expect(h.status).toBe('healthy')
      const pgCheck = h.checks.find((c) => c.name === 'postgres')!
      expect(pgCheck.latencyMs).toBeGreaterThanOrEqual(0)
      expect(pgCheck.details?.pgvector).toBe(db.pgvectorVersion)
      const pool = h.checks.find((c) => c.name === 'pool')!
      expect(pool.details).toMatchObject({ total: expect.any(Number), idle: expect.any(Number), waiting: 0 })
      // The pool size, so a monitor can compute pool usage (its 90% rule).
      expect(pool.details?.max).toBe(db.real ? 10 : 1)
    } finally {
      await store.close()
    }
  })

  it('a CONNECTION error (not a crash) when the server cannot be reached', async () => {
    const err = await PostgresStore.connect({
      connectionString: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMs: 2000,
    }).catch((e: unknown) => e)
    expect(isVectorStoreError(err, 'CONNECTION')).toBe(true)
    expect((err as Error).cause).toBeDefined()
  })
})

describe('upsert paths', () => {
  it('racing upserts of the same new ids both land (direct COPY falls back to the merge path on 23505)', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vkrace')
    const a = await PostgresStore.connect({ connectionString: db.url, schema, purgeIntervalMs: 0 })
    const b = await PostgresStore.connect({ connectionString: db.url, schema, purgeIntervalMs: 0 })
    try {
      const ca = await a.createCollection('race', { dimensions: 3, metric: 'l2' })
      const cb = await b.collection('race')
      for (let round = 0; round < 5; round++) {
        const ids = Array.from({ length: 200 }, (_, i) => `r${round}-${i}`)
        await Promise.all([
          ca.upsert(ids.map((id) => ({ id, vector: [1, 0, 0], metadata: { by: 'a' } }))),
          cb.upsert(ids.map((id) => ({ id, vector: [0, 1, 0], metadata: { by: 'b' } }))),
        ])
        expect(await ca.count()).toBe(200 * (round + 1))
        // Each record is wholly one writer's: vector and metadata never mix.
        const got = await ca.get(ids)
        for (const r of got) expect(r.metadata?.by === 'a' ? r.vector[0] : r.vector[1]).toBe(1)
      }
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('updates through COPY keep created_at and replace vector, metadata and expiry', async () => {
    const store = await PostgresStore.connect(storeOptions(db, db.newSchema('vkupd')))
    try {
      const c = await store.createCollection('u', { dimensions: 2, metric: 'dot' })
      await c.upsert([
        { id: 'x', vector: [1, 2], metadata: { v: 1 }, expiresAt: new Date(Date.now() + 60_000) },
      ])
      await c.upsert([
        { id: 'x', vector: [3, 4] },
        { id: 'y', vector: [5, 6], metadata: { v: 2 } },
        { id: 'y', vector: [7, 8], metadata: { v: 3 } },
      ])
      const [x, y] = await c.get(['x', 'y'])
      expect(Array.from(x!.vector)).toEqual([3, 4])
      expect(x!.metadata).toBeUndefined()
      expect(x!.expiresAt).toBeUndefined()
      expect(Array.from(y!.vector)).toEqual([7, 8])
      expect(y!.metadata).toEqual({ v: 3 })
    } finally {
      await store.close()
    }
  })
})

describe('migrations', () => {
  it('concurrent starts on a fresh schema apply each migration exactly once', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vkmig')
    const stores = await Promise.all(
      Array.from({ length: 6 }, () =>
        PostgresStore.connect({ connectionString: db.url, schema, maxConnections: 2 }),
      ),
    )
    const admin = await db.admin()
    try {
      const r = await admin.query<{ version: number; n: string }>(
        `select version, count(*) as n from "${schema}".schema_migrations group by version order by version`,
      )
      expect(r.rows.map((x) => x.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1))
      expect(r.rows.every((x) => x.n === '1')).toBe(true)
    } finally {
      await admin.end()
      await Promise.all(stores.map((s) => s.close()))
    }
    markPostgresTestRan(db, 'migrations')
  })

  it('concurrent createCollection of one name: one wins, the others get CONFLICT or the same collection', async (ctx) => {
    requireRealPostgres(db, ctx)
    const schema = db.newSchema('vkddl')
    const a = await PostgresStore.connect({ connectionString: db.url, schema })
    const b = await PostgresStore.connect({ connectionString: db.url, schema })
    try {
      const spec = { dimensions: 4, metric: 'dot' as const }
      const results = await Promise.allSettled([
        a.createCollection('same', spec),
        b.createCollection('same', spec),
        a.createCollection('same', spec, { ifNotExists: true }),
        b.createCollection('same', spec, { ifNotExists: true }),
      ])
      const ok = results.filter((r) => r.status === 'fulfilled')
      const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
      expect(ok.length).toBeGreaterThanOrEqual(3)
      for (const f of failed) expect(f.reason).toMatchObject({ code: 'CONFLICT' })
      expect((await a.listCollections()).map((c) => c.name)).toEqual(['same'])
    } finally {
      await a.close()
      await b.close()
    }
  })
})
