import { performance } from 'node:perf_hooks'
import { type Dataset, loadDataset } from '../datasets/index'
import type { BenchRow } from '../results'
import { buildJsFloat32Scan, buildNaiveJsScan } from '../systems/js-scans'
import { buildHnswlib, buildPureJsHnsw } from '../systems/peers'
import type { BuildContext, SearchRequest, SystemInstance } from '../systems/types'
import { collectionInstance, fillCollection, MEMORY_SPECS, openMemoryStore } from '../systems/vectorkit'
import { type JobSpec, rowBase } from './job'
import { measureQueries, sampleMemory } from './measure'
import { runCacheSuite, runMonitorSuite } from './memory-extras'

/** How a system is built and queried. */
interface SystemDef {
  build(ds: Dataset, ctx: BuildContext): Promise<SystemInstance & { store?: unknown }>
  /** Swept over efSearch (ANN) or a single exact measurement. */
  kind: 'ann' | 'exact'
  /** Takes part in the filtered suite. */
  filtered: boolean
  params: Record<string, unknown>
}

async function buildMemory(system: string, ds: Dataset, ctx: BuildContext) {
  const store = await openMemoryStore()
  const index = MEMORY_SPECS[system]!
  const col = await store.createCollection('bench', { dimensions: ds.dim, metric: ds.metric, index })
  await fillCollection(col, ds, ctx, `build ${system}`)
  return { ...collectionInstance(col, ds, () => store.close()), store, collection: col }
}

/** Systems that run in the generic build → query → memory child. */
export const INDEX_SYSTEMS: Record<string, SystemDef> = {
  'naive-js-scan': { build: buildNaiveJsScan, kind: 'exact', filtered: false, params: {} },
  'js-float32-scan': { build: buildJsFloat32Scan, kind: 'exact', filtered: false, params: {} },
  'hnswlib-node': { build: buildHnswlib, kind: 'ann', filtered: true, params: { m: 16, efConstruction: 64 } },
  'hnsw-js': { build: buildPureJsHnsw, kind: 'ann', filtered: false, params: { m: 16, efConstruction: 64 } },
  'vectorkit-memory-flat': {
    build: (ds, ctx) => buildMemory('vectorkit-memory-flat', ds, ctx),
    kind: 'exact',
    filtered: true,
    params: { index: 'flat' },
  },
  'vectorkit-memory-hnsw': {
    build: (ds, ctx) => buildMemory('vectorkit-memory-hnsw', ds, ctx),
    kind: 'ann',
    filtered: true,
    params: { m: 16, efConstruction: 64 },
  },
  'vectorkit-memory-hnsw-int8': {
    build: (ds, ctx) => buildMemory('vectorkit-memory-hnsw-int8', ds, ctx),
    kind: 'ann',
    filtered: false,
    params: { m: 16, efConstruction: 64, quantization: 'int8', rerank: false },
  },
  'vectorkit-memory-hnsw-int8-rerank': {
    build: (ds, ctx) => buildMemory('vectorkit-memory-hnsw-int8-rerank', ds, ctx),
    kind: 'ann',
    filtered: false,
    params: { m: 16, efConstruction: 64, quantization: 'int8', rerank: true },
  },
}

type Emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => void
type Progress = (label: string, done: number, total: number) => void

/** Builds one system, measures its memory, then every selected suite's queries on it. */
export async function runIndexSystem(job: JobSpec, emit: Emit, progress: Progress): Promise<void> {
  const def = INDEX_SYSTEMS[job.system]
  if (!def) throw new Error(`unknown system ${job.system}`)
  const ds = loadDataset(job.dataset)
  const base = rowBase(job, ds.dim, ds.metric)
  const before = await sampleMemory()
  const t0 = performance.now()
  const ctx: BuildContext = {
    progress,
    ...(job.capMs === undefined ? {} : { deadline: t0 + job.capMs }),
  }
  const inst = await def.build(ds, ctx)
  const buildMs = performance.now() - t0
  const after = await sampleMemory()
  const mem = {
    buildMs,
    bytesPerVector: (after.rss - before.rss) / ds.n,
    rssBytes: after.rss - before.rss,
    heapBytes: after.heap - before.heap,
  }
  const measure = async (suite: string, req: SearchRequest, nq: number, params: Record<string, unknown>) => {
    const m = await measureQueries(inst, ds, req, nq, (d, t) => progress(`${suite} ${job.system}`, d, t))
    emit({ ...base, suite, system: job.system, params: { ...def.params, ...params }, ...m, ...mem })
  }
  if (job.suites.includes('search')) {
    if (def.kind === 'exact') await measure('search', { k: job.k, exact: true }, job.exactQueries, {})
    else
      for (const ef of job.sweep)
        await measure('search', { k: job.k, efSearch: ef }, job.annQueries, { efSearch: ef })
    if (job.system === 'vectorkit-memory-hnsw-int8') {
      // The int8 exact-scan target: the same collection, `exact: true`, on the quantized vectors.
      await measure('search', { k: job.k, exact: true }, job.exactQueries, { exact: true })
    }
  }
  if (job.suites.includes('filtered') && def.filtered) {
    for (const filter of ['sel-10pct', 'sel-1pct'] as const) {
      const ann = def.kind === 'ann'
      const req: SearchRequest = { k: job.k, filter, ...(ann ? { efSearch: 40 } : { exact: true }) }
      await measure('filtered', req, ann ? job.annQueries : job.exactQueries, {
        filter,
        ...(ann ? { efSearch: 40 } : {}),
      })
    }
  }
  if (job.suites.includes('memory')) {
    emit({ ...base, suite: 'memory', system: job.system, params: def.params, ...mem })
  }
  const store = (inst as { store?: import('@vectorkit/core').VectorStore }).store
  if (store && job.system === 'vectorkit-memory-hnsw') {
    if (job.suites.includes('cache')) await runCacheSuite(job, ds, store, emit, progress)
    if (job.suites.includes('monitor')) await runMonitorSuite(job, ds, store, emit, progress)
  }
  await inst.close()
}
