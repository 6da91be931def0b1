import { performance } from 'node:perf_hooks'
import type { Collection, VectorStore } from '@vectorkit/core'
import pg from 'pg'
import { type Dataset, type FilterName, loadDataset } from '../datasets/index'
import type { BenchRow } from '../results'
import { median, percentile } from '../stats'
import { vectorParam } from '../systems/pg-raw'
import { type SearchRequest, type SystemInstance, SystemUnavailable } from '../systems/types'
import { BUILD_BATCH, collectionInstance, importOptional, loadWithCache } from '../systems/vectorkit'
import { type JobSpec, rowBase } from './job'
import { measureQueries } from './measure'
import { cacheRows, runZipfWorkload, skippedRow } from './memory-extras'

type Emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => void
type Progress = (label: string, done: number, total: number) => void

/** Schema the bench's Postgres tables live in (dropped and recreated per run). */
export const BENCH_SCHEMA = 'vectorkit_bench'

/** SQL of the hand-written baselines' filters (what apps write against a jsonb column). */
const RAW_FILTER_SQL: Record<FilterName, string> = {
  none: '',
  'sel-1pct': `where (metadata->>'bucket')::int = 0`,
  'sel-10pct': `where (metadata->>'bucket')::int < 10`,
}

/** Opens a PostgresStore through its public API, or "skipped" while the package is empty. */
export async function openPostgresStore(url: string | undefined): Promise<VectorStore> {
  if (!url)
    throw new SystemUnavailable(
      'skipped: set VECTORKIT_TEST_DATABASE_URL (eval "$(bash scripts/provision-postgres.sh)")',
    )
  const mod = await importOptional('@vectorkit/postgres')
  const PostgresStore = mod?.PostgresStore as { connect?: (o: unknown) => Promise<VectorStore> } | undefined
  if (typeof PostgresStore?.connect !== 'function')
    throw new SystemUnavailable('skipped: @vectorkit/postgres does not export PostgresStore yet')
  return PostgresStore.connect({
    connectionString: url,
    schema: BENCH_SCHEMA,
    statementTimeoutMs: 0,
    queryTimeoutMs: 0,
  })
}

/**
 * A raw pgvector client on the table vectorkit built: `ORDER BY embedding <op> $1 LIMIT k`,
 * `hnsw.ef_search` set once per session (the cheapest a hand-written query can be), or left at
 * its default (40) for `pgvector-naive`; `exact` turns index scans off (the planner's seq scan).
 */
async function rawInstance(client: pg.Client, table: string, ds: Dataset): Promise<SystemInstance> {
  const op = ds.metric === 'cosine' ? '<=>' : '<->'
  const params = Array.from({ length: ds.nQueries }, (_, q) =>
    vectorParam(ds.queries.subarray(q * ds.dim, (q + 1) * ds.dim)),
  )
  let session = ''
  return {
    async search(qi: number, req: SearchRequest) {
      const want = `${req.efSearch ?? 'default'}/${req.exact ? 'exact' : 'index'}`
      if (want !== session) {
        await client.query(
          req.efSearch === undefined ? 'reset hnsw.ef_search' : `set hnsw.ef_search = ${req.efSearch}`,
        )
        await client.query(`set enable_indexscan = ${req.exact ? 'off' : 'on'}`)
        session = want
      }
      const r = await client.query({
        text: `select id from ${table} ${RAW_FILTER_SQL[req.filter ?? 'none']} order by embedding ${op} $1 limit ${req.k}`,
        values: [params[qi]],
      })
      return Int32Array.from(r.rows, (row: { id: string }) => Number(row.id))
    },
    async close() {},
  }
}

/**
 * The Postgres job: builds one HNSW collection through vectorkit (bulk load, index after), then
 * measures vectorkit's searches, the same queries as raw SQL on the same table and index
 * (`pgvector-raw` swept, `pgvector-naive` at the default ef_search, `pgvector-seqscan`), the
 * filtered variants, the cache, and the table's bytes per vector.
 */
export async function runPostgresJob(
  job: JobSpec,
  emit: Emit,
  progress: Progress,
  versions: Record<string, string>,
) {
  const ds = loadDataset(job.dataset)
  const store = await openPostgresStore(job.databaseUrl)
  const client = new pg.Client({ connectionString: job.databaseUrl })
  await client.connect()
  try {
    const v = await client.query(
      `select current_setting('server_version') as pg, (select extversion from pg_extension where extname = 'vector') as vector`,
    )
    versions.postgres = String(v.rows[0].pg)
    versions.pgvector = String(v.rows[0].vector)
    await store.dropCollection('bench').catch(() => undefined)
    const spec = {
      dimensions: ds.dim,
      metric: ds.metric,
      index: { type: 'hnsw' as const, profile: 'balanced' as const },
    }
    const col = (await store.createCollection('bench', spec)) as Collection & {
      bulkLoad?: (b: AsyncIterable<unknown[]>) => Promise<{ indexMs: number }>
    }
    const t0 = performance.now()
    let indexMs: number | undefined
    const batches = async function* () {
      for (let s = 0; s < ds.n; s += BUILD_BATCH) {
        const e = Math.min(ds.n, s + BUILD_BATCH)
        const batch = []
        for (let r = s; r < e; r++)
          batch.push({
            id: String(r),
            vector: ds.base.subarray(r * ds.dim, (r + 1) * ds.dim),
            metadata: { bucket: ds.buckets[r]! },
          })
        yield batch
        progress('load vectorkit-postgres-hnsw', e, ds.n)
      }
    }
    if (typeof col.bulkLoad === 'function') indexMs = (await col.bulkLoad(batches())).indexMs
    else for await (const b of batches()) await col.upsert(b as never)
    const buildMs = performance.now() - t0
    const stats = await col.stats()
    const details = (stats.details ?? {}) as { table?: string; schema?: string }
    const table = `${pg.escapeIdentifier(details.schema ?? BENCH_SCHEMA)}.${pg.escapeIdentifier(details.table ?? '')}`
    await client.query(`vacuum analyze ${table}`)
    const size = await client.query(
      `select pg_total_relation_size('${table.replace(/'/g, "''")}'::regclass)::float8 as b`,
    )
    const bytes = Number(size.rows[0].b)
    const mem = { buildMs, bytesPerVector: bytes / ds.n, rssBytes: bytes }
    const built = {
      profile: 'balanced',
      m: 16,
      efConstruction: 64,
      ...(indexMs === undefined ? {} : { indexMs }),
    }
    const base = rowBase(job, ds.dim, ds.metric)
    const ours = collectionInstance(col, ds, async () => {})
    const raw = await rawInstance(client, table, ds)
    const measure = async (
      suite: string,
      system: string,
      inst: SystemInstance,
      req: SearchRequest,
      nq: number,
      params: Record<string, unknown>,
    ) => {
      const m = await measureQueries(inst, ds, req, nq, (d, t) => progress(`${suite} ${system}`, d, t))
      emit({ ...base, suite, system, params: { profile: 'balanced', ...params }, ...m, ...mem })
    }
    if (job.suites.includes('search')) {
      for (const ef of job.sweep) {
        await measure('search', 'vectorkit-postgres-hnsw', ours, { k: job.k, efSearch: ef }, job.annQueries, {
          efSearch: ef,
        })
        await measure('search', 'pgvector-raw', raw, { k: job.k, efSearch: ef }, job.annQueries, {
          efSearch: ef,
        })
      }
      // The balanced profile as shipped: no per-query efSearch, the profile's default (100).
      await measure('search', 'vectorkit-postgres-hnsw', ours, { k: job.k }, job.annQueries, {
        efSearch: 'profile (100)',
      })
      await measure('search', 'pgvector-naive', raw, { k: job.k }, job.annQueries, {
        efSearch: 'default (40)',
      })
      await measure('search', 'pgvector-seqscan', raw, { k: job.k, exact: true }, job.exactQueries, {
        exact: true,
      })
    }
    if (job.suites.includes('filtered')) {
      for (const filter of ['sel-10pct', 'sel-1pct'] as const) {
        await measure('filtered', 'vectorkit-postgres-hnsw', ours, { k: job.k, filter }, job.annQueries, {
          filter,
          efSearch: 'profile (100)',
        })
        await measure('filtered', 'pgvector-naive', raw, { k: job.k, filter }, job.annQueries, {
          filter,
          efSearch: 'default (40)',
        })
        await measure(
          'filtered',
          'pgvector-seqscan',
          raw,
          { k: job.k, filter, exact: true },
          job.exactQueries,
          { filter, exact: true },
        )
      }
    }
    if (job.suites.includes('memory')) {
      emit({
        ...base,
        suite: 'memory',
        system: 'vectorkit-postgres-hnsw',
        params: built,
        ...mem,
        note: 'table + indexes on disk / n',
      })
    }
    if (job.suites.includes('cache') || job.suites.includes('search'))
      await cachedPostgres(job, ds, store, emit, progress)
  } finally {
    await client.end()
    await store.close()
  }
}

async function cachedPostgres(job: JobSpec, ds: Dataset, store: VectorStore, emit: Emit, progress: Progress) {
  let withCache: Awaited<ReturnType<typeof loadWithCache>>
  try {
    withCache = await loadWithCache()
  } catch (err) {
    emit(
      skippedRow(
        job,
        ds,
        job.suites.includes('cache') ? 'cache' : 'search',
        'vectorkit-postgres-hnsw+cache',
        err,
      ),
    )
    return
  }
  const col = await withCache(store, { max: 100_000 }).collection('bench')
  const requests = job.quick ? 500 : 5000
  const z = await runZipfWorkload(col, ds, job.k, job.annQueries, requests, undefined, (d, t) =>
    progress('cache postgres', d, t),
  )
  if (job.suites.includes('cache'))
    for (const row of cacheRows(job, ds, 'vectorkit-postgres-hnsw+cache', z, {})) emit(row)
  if (job.suites.includes('search')) {
    emit({
      ...rowBase(job, ds.dim, ds.metric),
      suite: 'search',
      system: 'vectorkit-postgres-hnsw+cache',
      params: {
        workload: `zipf s=1, ${requests} requests over ${job.annQueries} queries`,
        efSearch: 'profile (100)',
      },
      recallAt10: z.recall,
      p50Ms: median(z.allLat),
      p95Ms: percentile(z.allLat, 0.95),
      p99Ms: percentile(z.allLat, 0.99),
      qps: (requests * 1000) / z.wallMs,
      hitRatio: z.hitRatio,
    })
  }
}
