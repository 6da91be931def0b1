import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CACHE_DIR, datasetKey, loadDataset } from '../datasets/index'
import type { BenchRow } from '../results'
import { collectionInstance, fillCollection, MEMORY_SPECS, openMemoryStore } from '../systems/vectorkit'
import { type JobSpec, rowBase } from './job'
import { measureQueries, sampleMemory } from './measure'

type Emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => void
type Progress = (label: string, done: number, total: number) => void

/** Data directory of the persisted collection, under the gitignored cache. */
export function openDir(job: JobSpec): string {
  return join(CACHE_DIR, `open-${datasetKey(job.dataset)}`)
}

/** Build half of the open suite: a durable store with the HNSW collection, closed (snapshot written). */
export async function runOpenBuild(job: JobSpec, progress: Progress, shared: { buildMs?: number }) {
  const ds = loadDataset(job.dataset)
  const dir = openDir(job)
  rmSync(dir, { recursive: true, force: true })
  const t0 = performance.now()
  const store = await openMemoryStore({ path: dir })
  const col = await store.createCollection('bench', {
    dimensions: ds.dim,
    metric: ds.metric,
    index: MEMORY_SPECS['vectorkit-memory-hnsw']!,
  })
  await fillCollection(col, ds, { progress }, 'build persisted vectorkit-memory-hnsw')
  await store.close()
  shared.buildMs = performance.now() - t0
}

/**
 * Measured half, in a fresh process: `MemoryStore.open({ path })` until the collection answers
 * (the graph is loaded, not rebuilt), then queries to show it is the same graph.
 */
export async function runOpenMeasure(job: JobSpec, emit: Emit, progress: Progress) {
  const ds = loadDataset(job.dataset)
  const dir = openDir(job)
  const before = await sampleMemory()
  const t0 = performance.now()
  const store = await openMemoryStore({ path: dir })
  const col = await store.collection('bench')
  const openMs = performance.now() - t0
  const after = await sampleMemory()
  const count = await col.count()
  const inst = collectionInstance(col, ds, () => store.close())
  const m = await measureQueries(inst, ds, { k: job.k, efSearch: 40 }, job.annQueries, (d, t) =>
    progress('queries after open', d, t),
  )
  emit({
    ...rowBase(job, ds.dim, ds.metric),
    suite: 'open',
    system: 'vectorkit-memory-hnsw',
    params: { m: 16, efConstruction: 64, efSearch: 40, persisted: true, recordsAfterOpen: count },
    ...m,
    openMs,
    bytesPerVector: (after.rss - before.rss) / ds.n,
    rssBytes: after.rss - before.rss,
    heapBytes: after.heap - before.heap,
    ...(count === ds.n ? {} : { note: `opened ${count} of ${ds.n} records` }),
  })
  await inst.close()
  rmSync(dir, { recursive: true, force: true })
}
