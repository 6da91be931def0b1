import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type PostgresStore, PostgresStore as Store, tableNameFor } from '../src/index'
import { prng, randomVector } from './random-data'
import { getTestDatabase, markPostgresTestRan, storeOptions, type TestDatabase } from './test-database'

let db: TestDatabase
let store: PostgresStore

beforeAll(async () => {
  db = await getTestDatabase()
  store = await Store.connect(storeOptions(db, db.newSchema('vkschema')))
})

afterAll(async () => {
  await store?.close()
  await db?.cleanup()
})

async function tableColumns(table: string): Promise<Record<string, string>> {
  const c = await db.admin()
  try {
    const r = await c.query<{ column_name: string; t: string }>(
      `select a.attname as column_name, format_type(a.atttypid, a.atttypmod) as t
       from pg_attribute a join pg_class cl on cl.oid = a.attrelid
       where cl.relname = $1 and a.attnum > 0 and not a.attisdropped`,
      [table],
    )
    return Object.fromEntries(r.rows.map((x) => [x.column_name, x.t]))
  } finally {
    await c.end()
  }
}

async function embeddingStorage(table: string): Promise<string> {
  const c = await db.admin()
  try {
    const r = await c.query<{ s: string }>(
      `select a.attstorage as s from pg_attribute a join pg_class cl on cl.oid = a.attrelid
       where cl.relname = $1 and a.attname = 'embedding'`,
      [table],
    )
    return r.rows[0]!.s
  } finally {
    await c.end()
  }
}

async function indexDefs(table: string): Promise<string[]> {
  const c = await db.admin()
  try {
    const r = await c.query<{ d: string }>(
      'select indexdef as d from pg_indexes where tablename = $1 order by indexname',
      [table],
    )
    return r.rows.map((x) => x.d)
  } finally {
    await c.end()
  }
}

describe('schema', () => {
  it('one table per collection: id text primary key, vector(d), jsonb, expires_at, timestamps; GIN, expiry and HNSW indexes', async () => {
    const c = await store.createCollection('layout', {
      dimensions: 16,
      metric: 'cosine',
      index: { type: 'hnsw', profile: 'quality' },
    })
    const cols = await tableColumns(c.table)
    expect(cols).toEqual({
      id: 'text',
      embedding: 'vector(16)',
      metadata: 'jsonb',
      expires_at: 'timestamp with time zone',
      created_at: 'timestamp with time zone',
      updated_at: 'timestamp with time zone',
    })
    // PLAIN: the vector stays in the heap row (parallel HNSW builds, no TOAST lookups).
    expect(await embeddingStorage(c.table)).toBe('p')
    const defs = (await indexDefs(c.table)).join('\n')
    expect(defs).toContain('USING gin (metadata jsonb_path_ops)')
    expect(defs).toContain('(expires_at) WHERE (expires_at IS NOT NULL)')
    expect(defs).toMatch(
      /USING hnsw \(embedding vector_cosine_ops\) WITH \(m='?16'?, ef_construction='?100'?\)/,
    )
    const info = (await store.listCollections()).find((x) => x.name === 'layout')!
    expect(info.spec.index).toMatchObject({ type: 'hnsw', m: 16, efConstruction: 100, efSearch: 200 })
    markPostgresTestRan(db, 'schema')
  })

  it('halfvec for 2,001–4,000 indexed dimensions (get is lossy), a clear error above 4,000, flat is lossless', async () => {
    const half = await store.createCollection('half', {
      dimensions: 2048,
      metric: 'l2',
      index: { type: 'hnsw' },
    })
    expect((await tableColumns(half.table)).embedding).toBe('halfvec(2048)')
    const v = randomVector(prng(3), 2048)
    await half.upsert([{ id: 'h', vector: v }])
    const [got] = await half.get(['h'])
    const maxErr = Math.max(...v.map((x, i) => Math.abs(x - got!.vector[i]!)))
    expect(maxErr).toBeGreaterThan(0)
    expect(maxErr).toBeLessThan(1e-3)
    const hits = await half.search(v, { k: 1 })
    expect(hits[0]!.id).toBe('h')
    await expect(
      store.createCollection('toobig', { dimensions: 4001, metric: 'l2', index: { type: 'hnsw' } }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringContaining("index: { type: 'flat' }"),
    })
    expect((await store.listCollections()).some((x) => x.name === 'toobig')).toBe(false)
    const flat = await store.createCollection('bigflat', { dimensions: 4001, metric: 'l2' })
    expect((await tableColumns(flat.table)).embedding).toBe('vector(4001)')
    expect(await embeddingStorage(flat.table)).toBe('m')
    const w = randomVector(prng(4), 4001)
    await flat.upsert([{ id: 'f', vector: w }])
    const [back] = await flat.get(['f'])
    expect(Array.from(back!.vector)).toEqual(Array.from(Float32Array.from(w)))
  })

  it('int8 quantization is declared absent and refused with UNSUPPORTED', async () => {
    expect(store.capabilities.quantization).toBe(false)
    await expect(
      store.createCollection('q8', {
        dimensions: 4,
        metric: 'l2',
        index: { type: 'hnsw', quantization: 'int8' },
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })

  it('maps names to distinct tables of at most 63 bytes, quoted, never interpolated', async () => {
    const long = 'é'.repeat(60)
    const a = await store.createCollection(`${long}a`, { dimensions: 2, metric: 'l2' })
    const b = await store.createCollection(`${long}b`, { dimensions: 2, metric: 'l2' })
    expect(a.table).not.toBe(b.table)
    expect(Buffer.byteLength(a.table)).toBeLessThanOrEqual(63)
    await a.upsert([{ id: '1', vector: [1, 1] }])
    expect(await b.count()).toBe(0)
    expect(tableNameFor('Docs')).not.toBe(tableNameFor('docs'))
  })
})

describe('TTL', () => {
  it('expired records are invisible at once to get, search, count, scan and delete counts; purge removes them', async () => {
    const c = await store.createCollection('ttl', { dimensions: 2, metric: 'l2', index: { type: 'hnsw' } })
    const past = new Date(Date.now() - 1000)
    const future = new Date(Date.now() + 3_600_000)
    await c.upsert([
      { id: 'gone', vector: [0, 0], expiresAt: past, metadata: { k: 1 } },
      { id: 'kept', vector: [1, 0], expiresAt: future, metadata: { k: 1 } },
      { id: 'plain', vector: [2, 0], metadata: { k: 1 } },
    ])
    expect((await c.get(['gone', 'kept'])).map((r) => r.id)).toEqual(['kept'])
    expect(await c.count()).toBe(2)
    expect(await c.count({ k: 1 })).toBe(2)
    expect((await c.search([0, 0], { k: 3 })).map((h) => h.id)).toEqual(['kept', 'plain'])
    expect((await c.search([0, 0], { k: 3, exact: true })).map((h) => h.id)).toEqual(['kept', 'plain'])
    const scanned: string[] = []
    for await (const batch of c.scan({ batchSize: 1 })) scanned.push(...batch.map((r) => r.id))
    expect(scanned).toEqual(['kept', 'plain'])
    const [kept] = await c.get(['kept'])
    expect(kept!.expiresAt!.getTime()).toBe(future.getTime())
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1)
    const admin = await db.admin()
    try {
      const r = await admin.query(
        `select id from "${(await c.stats()).details!.schema}"."${c.table}" order by id`,
      )
      expect(r.rows.map((x) => x.id)).toEqual(['kept', 'plain'])
    } finally {
      await admin.end()
    }
    // Upserting without expiresAt clears a previous expiry.
    await c.upsert([{ id: 'kept', vector: [1, 0] }])
    expect((await c.get(['kept']))[0]!.expiresAt).toBeUndefined()
  })
})

describe('stats and bulk load', () => {
  it('bulkLoad builds the HNSW index once after loading; stats report rows, bytes, index name, size and scans', async () => {
    const c = await store.createCollection('bulk', {
      dimensions: 8,
      metric: 'dot',
      index: { type: 'hnsw', profile: 'speed' },
    })
    const r = prng(9)
    const batches = [0, 1, 2].map((b) =>
      Array.from({ length: 200 }, (_, i) => ({
        id: `b${b}-${i}`,
        vector: randomVector(r, 8),
        metadata: { b },
      })),
    )
    const result = await c.bulkLoad(batches)
    expect(result.rows).toBe(600)
    expect(result.maintenanceWorkMemMb).toBeGreaterThanOrEqual(64)
    const hits = await c.search(randomVector(r, 8), { k: 5, filter: { b: 2 } })
    expect(hits).toHaveLength(5)
    const s = await c.stats()
    expect(s.count).toBe(600)
    expect(s.bytes).toBeGreaterThan(0)
    expect(s.details).toMatchObject({
      indexName: `${c.table}_hnsw`,
      indexExists: true,
      indexBytes: expect.any(Number),
      indexScans: expect.any(Number),
      storage: 'vector',
    })
    expect(s.details!.indexBytes as number).toBeGreaterThan(0)
  })
})
