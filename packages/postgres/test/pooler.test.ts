import type { VectorRecord } from '@vectorkit/core'
import { validateSearch } from '@vectorkit/core'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PoolExecutor } from '../src/executor'
import { PostgresStore } from '../src/index'
import { hnswSearchSql } from '../src/search-sql'
import { prng, randomVector } from './random-data'
import { getTestDatabase, markPostgresTestRan, requireRealPostgres, type TestDatabase } from './test-database'

// SET LOCAL leak and search tests, run directly against the server and again through a
// transaction-mode PgBouncer (VECTORKIT_TEST_PGBOUNCER_URL). Real servers only.

let db: TestDatabase
const pools: pg.Pool[] = []
const stores: PostgresStore[] = []

beforeAll(async () => {
  db = await getTestDatabase()
})

afterAll(async () => {
  for (const s of stores) await s.close()
  for (const p of pools) await p.end()
  await db.cleanup()
})

function pool(url: string, max: number): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max })
  p.on('error', () => undefined)
  pools.push(p)
  return p
}

async function show(
  p: pg.Pool,
  name: 'hnsw.ef_search' | 'hnsw.iterative_scan' | 'enable_indexscan' | 'statement_timeout',
) {
  // missing_ok: before pgvector's library is loaded in a session, hnsw.* settings do not exist.
  const r = await p.query<{ v: string | null }>('select current_setting($1, true) as v', [name])
  return r.rows[0]!.v
}

// '' is the empty placeholder a rolled-back set_config leaves in a session where pgvector is not loaded yet.
const DEFAULT_EF = [null, '', '40']
const DEFAULT_ITERATIVE = [null, '', 'off']

async function expectDefaults(p: pg.Pool): Promise<void> {
  expect(DEFAULT_EF).toContain(await show(p, 'hnsw.ef_search'))
  expect(DEFAULT_ITERATIVE).toContain(await show(p, 'hnsw.iterative_scan'))
  expect(await show(p, 'enable_indexscan')).toBe('on')
}

function clusteredRecords(n: number, dims: number, seed: number): VectorRecord[] {
  const r = prng(seed)
  return Array.from({ length: n }, (_, i) => ({
    id: `r${String(i).padStart(5, '0')}`,
    vector: randomVector(r, dims),
    // 1% of the rows are "rare": a selective filter.
    metadata: { group: i % 100 === 0 ? 'rare' : 'common', i },
  }))
}

const targets = () => {
  const list: { name: string; url: () => string; pooler: boolean }[] = [
    { name: 'direct', url: () => db.url, pooler: false },
  ]
  list.push({
    name: 'through PgBouncer (transaction mode)',
    url: () => {
      if (!db.pgbouncerUrl)
        throw new Error(
          'VECTORKIT_TEST_PGBOUNCER_URL is not set (scripts/provision-postgres.sh starts PgBouncer)',
        )
      return db.pgbouncerUrl
    },
    pooler: true,
  })
  return list
}

describe.each(targets())('pooling: $name', ({ url, pooler }) => {
  it('per-query efSearch and iterative scan are SET LOCAL: visible inside, gone on the next borrow', async (ctx) => {
    requireRealPostgres(db, ctx)
    const p = pool(url(), 1)
    const ex = new PoolExecutor(p, true)
    const inside = await ex.transaction(
      'probe',
      { 'hnsw.ef_search': '123', 'hnsw.iterative_scan': 'relaxed_order', enable_indexscan: 'off' },
      (s) =>
        s.query<{ ef: string; it: string; ix: string }>({
          sql: "select current_setting('hnsw.ef_search') as ef, current_setting('hnsw.iterative_scan') as it, current_setting('enable_indexscan') as ix",
          parameters: [],
        }),
    )
    expect(inside.rows[0]).toEqual({ ef: '123', it: 'relaxed_order', ix: 'off' })
    for (let i = 0; i < 10; i++) await expectDefaults(p)
    markPostgresTestRan(db, `pooler-setlocal-${pooler}`)
  })

  it('searches through the store leave no setting behind on the same connection', async (ctx) => {
    requireRealPostgres(db, ctx)
    const p = pool(url(), 1)
    const store = await PostgresStore.connect({ pool: p, schema: db.newSchema('vkpool'), purgeIntervalMs: 0 })
    stores.push(store)
    const before = await p.query<{ pid: number }>('select pg_backend_pid() as pid')
    const c = await store.createCollection('leak', {
      dimensions: 8,
      metric: 'l2',
      index: { type: 'hnsw', profile: 'speed' },
    })
    await c.upsert(clusteredRecords(300, 8, 7))
    await c.search(randomVector(prng(1), 8), { k: 5, efSearch: 321, filter: { group: 'rare' } })
    await c.search(randomVector(prng(2), 8), { k: 5, exact: true })
    for (let i = 0; i < 10; i++) await expectDefaults(p)
    if (!pooler) {
      // With max 1 the pool hands out the very connection the searches ran on.
      const after = await p.query<{ pid: number }>('select pg_backend_pid() as pid')
      expect(after.rows[0]!.pid).toBe(before.rows[0]!.pid)
    }
  })

  it('one-statement search: set_config in the LATERAL subquery reaches the index scan, then ends', async (ctx) => {
    requireRealPostgres(db, ctx)
    const p = pool(url(), 1)
    const store = await PostgresStore.connect({ pool: p, schema: db.newSchema('vklat'), purgeIntervalMs: 0 })
    stores.push(store)
    const c = await store.createCollection('lat', {
      dimensions: 8,
      metric: 'l2',
      index: { type: 'hnsw', profile: 'speed' },
    })
    await c.upsert(clusteredRecords(300, 8, 3))
    const { query, options } = validateSearch(randomVector(prng(9), 8), { k: 20 }, c.spec)
    const ex = new PoolExecutor(p, true)
    // The table is small enough for the planner to prefer a seq scan; the probe needs the index.
    const run = (settings: Record<string, string>) =>
      ex.transaction('probe', { enable_seqscan: 'off' }, (s) =>
        s.query(hnswSearchSql(store.schema, c.table, 'l2', query, options, settings)),
      )
    // Without iterative scans pgvector returns at most ef_search rows: 5 proves the setting was live.
    expect((await run({ 'hnsw.ef_search': '5', 'hnsw.iterative_scan': 'off' })).rows).toHaveLength(5)
    expect((await run({ 'hnsw.ef_search': '40', 'hnsw.iterative_scan': 'off' })).rows).toHaveLength(20)
    await expectDefaults(p)
  })

  it('a session-level SET would leak (control: the probe above can fail)', async (ctx) => {
    requireRealPostgres(db, ctx)
    const p = pool(url(), 1)
    const client = await p.connect()
    try {
      await client.query('set hnsw.ef_search = 77')
      expect(
        (await client.query<{ v: string }>("select current_setting('hnsw.ef_search') as v")).rows[0]!.v,
      ).toBe('77')
      await client.query('reset hnsw.ef_search')
    } finally {
      client.release()
    }
  })

  it('filtered HNSW search returns k rows at 1% selectivity where the plain index query does not', async (ctx) => {
    requireRealPostgres(db, ctx)
    const store = await PostgresStore.connect({
      connectionString: url(),
      transactionPooler: pooler,
      schema: db.newSchema('vkfilt'),
      purgeIntervalMs: 0,
    })
    stores.push(store)
    const c = await store.createCollection('filtered', {
      dimensions: 8,
      metric: 'cosine',
      index: { type: 'hnsw', profile: 'speed' },
    })
    await c.bulkLoad([clusteredRecords(3000, 8, 11)])
    const q = randomVector(prng(5), 8)
    const hits = await c.search(q, { k: 10, filter: { group: 'rare' } })
    expect(hits).toHaveLength(10)
    expect(hits.every((h) => h.metadata?.group === 'rare')).toBe(true)
    const exact = await c.search(q, { k: 10, filter: { group: 'rare' }, exact: true })
    expect(hits.map((h) => h.id)).toEqual(exact.map((h) => h.id))
    // Control: the hand-written query through the same index, at the default ef_search.
    // Forced onto the index, as the planner picks it on large tables.
    const stats = (await c.stats()).details as { table: string; schema: string }
    const client = await pool(url(), 1).connect()
    try {
      await client.query('begin')
      await client.query('set local enable_seqscan = off; set local enable_bitmapscan = off')
      const plain = await client.query(
        `select id from "${stats.schema}"."${stats.table}" where metadata @> '{"group":"rare"}' order by embedding <=> $1 limit 10`,
        [JSON.stringify(q)],
      )
      expect(plain.rowCount).toBeLessThan(10)
    } finally {
      await client.query('rollback')
      client.release()
    }
    markPostgresTestRan(db, `pooler-filtered-${pooler}`)
  })

  it('statement_timeout is applied with SET LOCAL and maps to TIMEOUT', async (ctx) => {
    requireRealPostgres(db, ctx)
    const ex = new PoolExecutor(pool(url(), 1), true)
    await expect(
      ex.transaction('sleep', { statement_timeout: '50' }, (s) =>
        s.query({ sql: 'select pg_sleep(2)', parameters: [] }),
      ),
    ).rejects.toMatchObject({ code: 'TIMEOUT' })
  })
})

describe('connecting to a transaction pooler', () => {
  it('without transactionPooler the startup parameter is refused with a CONNECTION error that names the fix', async (ctx) => {
    requireRealPostgres(db, ctx)
    if (!db.pgbouncerUrl) throw new Error('VECTORKIT_TEST_PGBOUNCER_URL is not set')
    await expect(
      PostgresStore.connect({ connectionString: db.pgbouncerUrl, schema: db.newSchema('vkpb') }),
    ).rejects.toMatchObject({
      code: 'CONNECTION',
      message: expect.stringContaining('transactionPooler: true'),
    })
  })
})
