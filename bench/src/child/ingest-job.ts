import { performance } from 'node:perf_hooks'
import type { VectorStore } from '@vectorkit/core'
import pg from 'pg'
import { type Dataset, loadDataset } from '../datasets/index'
import type { BenchRow } from '../results'
import { percentile } from '../stats'
import { copyFrom, createBareTable, encodeCopyBinary, naiveInsert } from '../systems/pg-raw'
import { SystemUnavailable } from '../systems/types'
import { openMemoryStore } from '../systems/vectorkit'
import { type JobSpec, rowBase } from './job'
import { BENCH_SCHEMA, openPostgresStore } from './postgres-job'

type Emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => void
type Progress = (label: string, done: number, total: number) => void

/** Rows per ingest batch (the 1,000 × 768). */
export const INGEST_BATCH = 1000

/** One system's way of writing a batch. */
interface Ingestor {
  system: string
  params: Record<string, unknown>
  note?: string
  run(b: Batch): Promise<void>
}

/** One batch as the systems receive it: ids, a row-major Float32Array, metadata objects and their JSON. */
interface Batch {
  ids: string[]
  vectors: Float32Array
  metadata: { bucket: number }[]
  metadataJson: string[]
}

function makeBatches(ds: Dataset, count: number): Batch[] {
  return Array.from({ length: count }, (_, b) => {
    const start = b * INGEST_BATCH
    const ids = Array.from({ length: INGEST_BATCH }, (_, i) => String(start + i))
    const metadata = ids.map((_, i) => ({ bucket: ds.buckets[(start + i) % ds.n]! }))
    const rows = Array.from({ length: INGEST_BATCH }, (_, i) => (start + i) % ds.n)
    const vectors = new Float32Array(INGEST_BATCH * ds.dim)
    rows.forEach((r, i) => {
      vectors.set(ds.base.subarray(r * ds.dim, (r + 1) * ds.dim), i * ds.dim)
    })
    return { ids, vectors, metadata, metadataJson: metadata.map((m) => JSON.stringify(m)) }
  })
}

/**
 * The ingest suite: p50 latency of a 1,000 × 768 batch, batch after batch into one growing
 * table or collection (the first batch is a warm-up and not counted), for vectorkit memory and
 * Postgres (unindexed and HNSW), a bare binary COPY, and the 500-row text INSERT apps write.
 */
export async function runIngestJob(
  job: JobSpec,
  emit: Emit,
  progress: Progress,
  versions: Record<string, string>,
) {
  const ds = loadDataset(job.dataset)
  const timed = job.quick ? 2 : 10
  const batches = makeBatches(ds, timed + 1)
  const base = { ...rowBase(job, ds.dim, ds.metric), n: timed * INGEST_BATCH }
  const report = (system: string, params: Record<string, unknown>, lat: number[], note?: string) => {
    const counted = lat.slice(1)
    const p50 = percentile(counted, 0.5)
    emit({
      ...base,
      suite: 'ingest',
      system,
      params: { ...params, batches: counted.length },
      p50Ms: p50,
      p95Ms: percentile(counted, 0.95),
      p99Ms: percentile(counted, 0.99),
      batchSize: INGEST_BATCH,
      rowsPerSec: (INGEST_BATCH * 1000) / p50,
      ...(note ? { note } : {}),
    })
  }
  const records = (b: Batch) =>
    b.ids.map((id, i) => ({
      id,
      vector: b.vectors.subarray(i * ds.dim, (i + 1) * ds.dim),
      metadata: b.metadata[i]!,
    }))
  // Every system ingests batch i before any ingests batch i + 1: the systems share whatever
  // load the machine has at that moment, so their ratios are fair on a busy host.
  const ingestors: Ingestor[] = []
  const mem = await openMemoryStore()
  for (const [system, index] of [
    ['vectorkit-memory-flat', { type: 'flat' as const }],
    ['vectorkit-memory-hnsw', { type: 'hnsw' as const, m: 16, efConstruction: 64 }],
  ] as const) {
    const col = await mem.createCollection(`ingest_${index.type}`, {
      dimensions: ds.dim,
      metric: ds.metric,
      index,
    })
    ingestors.push({ system, params: { index: index.type }, run: (b) => col.upsert(records(b)) })
  }
  let store: VectorStore | undefined
  let client: pg.Client | undefined
  const tables: string[] = []
  try {
    try {
      store = await openPostgresStore(job.databaseUrl)
    } catch (err) {
      if (!(err instanceof SystemUnavailable)) throw err
      for (const system of [
        'vectorkit-postgres-flat',
        'vectorkit-postgres-hnsw',
        'pg-binary-copy',
        'pgvector-naive',
      ])
        emit({ ...base, suite: 'ingest', system, params: {}, note: err.message })
    }
    if (store) {
      client = new pg.Client({ connectionString: job.databaseUrl })
      await client.connect()
      const c = client
      const v = await c.query(`select current_setting('server_version') as pg`)
      versions.postgres = String(v.rows[0].pg)
      for (const [system, index] of [
        ['vectorkit-postgres-flat', { type: 'flat' as const }],
        ['vectorkit-postgres-hnsw', { type: 'hnsw' as const, profile: 'balanced' as const }],
      ] as const) {
        const name = `ingest_${index.type}`
        await store.dropCollection(name).catch(() => undefined)
        const col = await store.createCollection(name, { dimensions: ds.dim, metric: ds.metric, index })
        ingestors.push({ system, params: { index: index.type }, run: (b) => col.upsert(records(b)) })
      }
      const copyTable = await createBareTable(c, BENCH_SCHEMA, 'ingest_copy', ds.dim)
      const copySql = `copy ${copyTable} (id, embedding, metadata) from stdin (format binary)`
      ingestors.push({
        system: 'pg-binary-copy',
        params: { index: 'none', encoding: 'included' },
        note: 'bare COPY into an id/vector/jsonb table with PK + GIN, no upsert',
        run: (b) => copyFrom(c, copySql, encodeCopyBinary(b.ids, b.vectors, ds.dim, b.metadataJson)),
      })
      const naiveTable = await createBareTable(c, BENCH_SCHEMA, 'ingest_naive', ds.dim)
      ingestors.push({
        system: 'pgvector-naive',
        params: { index: 'none', rowsPerStatement: 500 },
        note: 'text vectors, multi-row INSERT, no upsert',
        run: (b) => naiveInsert(c, naiveTable, b.ids, b.vectors, ds.dim, b.metadataJson, 500),
      })
      tables.push(copyTable, naiveTable)
    }
    const lat = ingestors.map(() => [] as number[])
    for (const [i, b] of batches.entries()) {
      for (const [j, ing] of ingestors.entries()) {
        const t = performance.now()
        await ing.run(b)
        lat[j]!.push(performance.now() - t)
      }
      progress('ingest batches (all systems in turn)', i + 1, batches.length)
    }
    ingestors.forEach((ing, j) => {
      report(ing.system, ing.params, lat[j]!, ing.note)
    })
    if (client && tables.length) await client.query(`drop table if exists ${tables.join(', ')}`)
    if (store)
      for (const name of ['ingest_flat', 'ingest_hnsw'])
        await store.dropCollection(name).catch(() => undefined)
  } finally {
    await client?.end()
    await store?.close()
    await mem.close()
  }
}
