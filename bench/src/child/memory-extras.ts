import { performance } from 'node:perf_hooks'
import type { Collection, VectorStore } from '@vectorkit/core'
import { type Dataset, loadGroundTruth } from '../datasets/index'
import { Prng } from '../prng'
import type { BenchRow } from '../results'
import { median, percentile, recallAtK } from '../stats'
import { hitRows, queryViews, SystemUnavailable } from '../systems/types'
import { importOptional, loadWithCache, loadWithMonitor } from '../systems/vectorkit'
import { type JobSpec, rowBase } from './job'

type Emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => void
type Progress = (label: string, done: number, total: number) => void

/** Zipf exponent of the cache workload: a few hot queries, a long tail. */
export const ZIPF_S = 1.0

/** Seeded Zipf(s) sampler over ranks 0..n-1 by inverse CDF. */
export function zipfSampler(n: number, s: number, seed: number): () => number {
  const cdf = new Float64Array(n)
  let acc = 0
  for (let i = 0; i < n; i++) {
    acc += 1 / (i + 1) ** s
    cdf[i] = acc
  }
  const rng = new Prng(seed)
  return () => {
    const u = rng.float() * acc
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

export function skippedRow(job: JobSpec, ds: Dataset, suite: string, system: string, err: unknown) {
  if (!(err instanceof SystemUnavailable)) throw err
  return { ...rowBase(job, ds.dim, ds.metric), suite, system, params: {}, note: err.message }
}

/** What a Zipf workload through a cached collection measured. */
export interface ZipfOutcome {
  hitLat: number[]
  missLat: number[]
  allLat: number[]
  recall: number
  hitRatio: number
  requests: number
  wallMs: number
}

/**
 * Runs `requests` searches whose query indices follow Zipf(s) over the first `distinct` queries.
 * With no writes and a cache larger than the distinct queries, a request is a miss exactly
 * when its query is seen for the first time, so hits and misses are timed separately.
 */
export async function runZipfWorkload(
  col: Collection,
  ds: Dataset,
  k: number,
  distinct: number,
  requests: number,
  efSearch: number | undefined,
  progress: (done: number, total: number) => void,
): Promise<ZipfOutcome> {
  const views = queryViews(ds)
  const next = zipfSampler(distinct, ZIPF_S, 0x5eed0005)
  const seen = new Set<number>()
  const hitLat: number[] = []
  const missLat: number[] = []
  const allLat: number[] = []
  const results: ArrayLike<number>[] = []
  const order: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < requests; i++) {
    const q = next()
    const s = performance.now()
    const hits = await col.search(views[q]!, { k, ...(efSearch === undefined ? {} : { efSearch }) })
    const t = performance.now() - s
    ;(seen.has(q) ? hitLat : missLat).push(t)
    allLat.push(t)
    seen.add(q)
    results.push(hitRows(hits))
    order.push(q)
    if (i % 500 === 499) progress(i + 1, requests)
  }
  const wallMs = performance.now() - t0
  const truth = loadGroundTruth(ds, 'none', k)
  const reordered = new Int32Array(order.length * k)
  for (let i = 0; i < order.length; i++) {
    const q = order[i]!
    reordered.set(truth.subarray(q * k, (q + 1) * k), i * k)
  }
  return {
    hitLat,
    missLat,
    allLat,
    recall: recallAtK(results, reordered, k),
    hitRatio: hitLat.length / requests,
    requests,
    wallMs,
  }
}

/** The cache suite's hit and miss rows from one Zipf outcome. */
export function cacheRows(
  job: JobSpec,
  ds: Dataset,
  system: string,
  z: ZipfOutcome,
  params: Record<string, unknown>,
) {
  const base = rowBase(job, ds.dim, ds.metric)
  return (
    [
      ['hit', z.hitLat],
      ['miss', z.missLat],
    ] as const
  ).map(([measureName, lat]) => ({
    ...base,
    suite: 'cache',
    system,
    params: {
      measure: measureName,
      zipfS: ZIPF_S,
      requests: z.requests,
      distinctQueries: job.annQueries,
      ...params,
    },
    recallAt10: z.recall,
    p50Ms: percentile(lat, 0.5),
    p95Ms: percentile(lat, 0.95),
    p99Ms: percentile(lat, 0.99),
    qps: (lat.length * 1000) / lat.reduce((a, b) => a + b, 0),
    hitRatio: z.hitRatio,
  }))
}

/** Cache suite on the memory HNSW store: `withCache` over it, Zipf workload over the query set. */
export async function runCacheSuite(
  job: JobSpec,
  ds: Dataset,
  store: VectorStore,
  emit: Emit,
  progress: Progress,
) {
  let withCache: Awaited<ReturnType<typeof loadWithCache>>
  try {
    withCache = await loadWithCache()
  } catch (err) {
    emit(skippedRow(job, ds, 'cache', 'vectorkit-memory-hnsw+cache', err))
    return
  }
  const cached = withCache(store, { max: 100_000 })
  const col = await cached.collection('bench')
  const requests = job.quick ? 1000 : 10_000
  const z = await runZipfWorkload(col, ds, job.k, job.annQueries, requests, 40, (d, t) =>
    progress('cache workload', d, t),
  )
  for (const row of cacheRows(job, ds, 'vectorkit-memory-hnsw+cache', z, { efSearch: 40 })) emit(row)
}

async function timeBlock(col: Collection, views: Float32Array[], from: number, count: number, k: number) {
  const t0 = performance.now()
  for (let i = 0; i < count; i++) await col.search(views[(from + i) % views.length]!, { k, efSearch: 40 })
  return (count * 1000) / (performance.now() - t0)
}

/**
 * Monitor suite: interleaved blocks of the same queries on the bare store and on
 * `withMonitor(store)` (registry and alert rules attached), alternating which goes first;
 * reports the median of the paired QPS ratios. Then the per-call cost on a no-op store.
 */
export async function runMonitorSuite(
  job: JobSpec,
  ds: Dataset,
  store: VectorStore,
  emit: Emit,
  progress: Progress,
) {
  let withMonitor: Awaited<ReturnType<typeof loadWithMonitor>>
  try {
    withMonitor = await loadWithMonitor()
  } catch (err) {
    emit(skippedRow(job, ds, 'monitor', 'vectorkit-memory-hnsw+monitor', err))
    return
  }
  const monitored = withMonitor(store, await monitorOptions())
  listenToAlerts(monitored)
  const plainCol = await store.collection('bench')
  const monCol = await monitored.collection('bench')
  const views = queryViews(ds)
  const blocks = job.quick ? 6 : 30
  const size = Math.min(200, job.annQueries)
  const plainQps: number[] = []
  const monQps: number[] = []
  const ratios: number[] = []
  for (let b = 0; b < blocks; b++) {
    const from = (b * size) % views.length
    let p: number
    let m: number
    // An untimed pass first, so neither timed pass is the one that warms the caches for the other.
    await timeBlock(plainCol, views, from, size, job.k)
    if (b % 2 === 0) {
      p = await timeBlock(plainCol, views, from, size, job.k)
      m = await timeBlock(monCol, views, from, size, job.k)
    } else {
      m = await timeBlock(monCol, views, from, size, job.k)
      p = await timeBlock(plainCol, views, from, size, job.k)
    }
    plainQps.push(p)
    monQps.push(m)
    ratios.push(m / p)
    progress('monitor blocks', b + 1, blocks)
  }
  const ratio = median(ratios)
  const base = rowBase(job, ds.dim, ds.metric)
  const params = { efSearch: 40, blocks, blockQueries: size }
  emit({ ...base, suite: 'monitor', system: 'vectorkit-memory-hnsw', params, qps: median(plainQps) })
  emit({
    ...base,
    suite: 'monitor',
    system: 'vectorkit-memory-hnsw+monitor',
    params: { ...params, medianPairedRatio: ratio, overheadPct: (1 - ratio) * 100, pairedRatios: ratios },
    qps: median(monQps),
  })
  // Per-call overhead: the same loop on a store that does nothing, bare and monitored.
  const createNoopStore = (await importOptional('@vectorkit/monitor'))?.createNoopStore as
    | ((options: { dimensions: number }) => VectorStore)
    | undefined
  if (typeof createNoopStore !== 'function')
    throw new SystemUnavailable('skipped: @vectorkit/monitor does not export createNoopStore')
  const noop = createNoopStore({ dimensions: ds.dim })
  const noopMon = withMonitor(noop, await monitorOptions())
  listenToAlerts(noopMon)
  const calls = job.quick ? 20_000 : 200_000
  const perCall = async (s: VectorStore) => {
    const c = await s.collection('noop')
    const q = views[0]!
    const t0 = performance.now()
    for (let i = 0; i < calls; i++) await c.search(q, { k: job.k })
    return ((performance.now() - t0) * 1000) / calls
  }
  const bareUs: number[] = []
  const monUs: number[] = []
  for (let r = 0; r < 5; r++) {
    bareUs.push(await perCall(noop))
    monUs.push(await perCall(noopMon))
  }
  const overheadUs = median(monUs) - median(bareUs)
  emit({
    ...base,
    n: 0,
    suite: 'monitor',
    system: 'noop-store+monitor',
    params: {
      calls,
      repeats: 5,
      bareUsPerCall: median(bareUs),
      monitoredUsPerCall: median(monUs),
      overheadUsPerCall: overheadUs,
    },
    p50Ms: median(monUs) / 1000,
    qps: 1e6 / median(monUs),
  })
}

/**
 * Options for `withMonitor` in the measured run: a prom-client registry and the default alert
 * rules attached, as the monitor issue asks (the overhead is measured with them on).
 */
async function monitorOptions(): Promise<Record<string, unknown>> {
  const prom = await importOptional('prom-client')
  const Registry = prom?.Registry as (new () => unknown) | undefined
  // Default rules on, evaluated every second (the default is 15 s) so their cost is inside the run.
  return { ...(Registry ? { registry: new Registry() } : {}), alerts: {}, evaluateEveryMs: 1000 }
}

/** Rules are evaluated only once someone listens, so the bench listens. */
function listenToAlerts(store: VectorStore): void {
  const alerts = (store as { alerts?: { on?: (e: string, f: () => void) => void } }).alerts
  alerts?.on?.('alert', () => {})
}
