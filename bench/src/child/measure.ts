import { performance } from 'node:perf_hooks'
import { type Dataset, type FilterName, loadGroundTruth } from '../datasets/index'
import { percentile, recallAtK } from '../stats'
import type { SearchRequest, SystemInstance } from '../systems/types'

/** Process memory after a full GC (the child runs with --expose-gc). */
export interface MemorySample {
  rss: number
  heap: number
}

/** Forces two full collections (finalizers can free more on the second) and samples memory. */
export async function sampleMemory(): Promise<MemorySample> {
  const gc = (globalThis as { gc?: () => void }).gc
  for (let i = 0; i < 2; i++) {
    gc?.()
    await new Promise((r) => setImmediate(r))
  }
  const m = process.memoryUsage()
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers }
}

/** What one query loop measured. */
export interface QueryMeasurement {
  recallAt10: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  qps: number
  kReturnedRate: number
}

/**
 * Runs queries 0..nQueries-1 one after another (single client, no concurrency) after a short
 * untimed warm-up, and scores them against the cached exact ground truth for the filter.
 * QPS is queries over the loop's wall time, so it includes whatever the per-query timer misses.
 */
export async function measureQueries(
  inst: SystemInstance,
  ds: Dataset,
  req: SearchRequest,
  nQueries: number,
  onProgress?: (done: number, total: number) => void,
): Promise<QueryMeasurement> {
  const warm = Math.min(10, nQueries)
  for (let q = 0; q < warm; q++) {
    const r = inst.search(q, req)
    if (r instanceof Promise) await r
  }
  const lat = new Float64Array(nQueries)
  const results: ArrayLike<number>[] = new Array(nQueries)
  let full = 0
  const every = Math.max(1, Math.floor(nQueries / 20))
  const t0 = performance.now()
  for (let q = 0; q < nQueries; q++) {
    const s = performance.now()
    let r = inst.search(q, req)
    if (r instanceof Promise) r = await r
    lat[q] = performance.now() - s
    results[q] = r
    if (r.length >= req.k) full++
    if (q % every === every - 1) onProgress?.(q + 1, nQueries)
  }
  const wall = performance.now() - t0
  const truth = loadGroundTruth(ds, (req.filter ?? 'none') as FilterName, req.k)
  return {
    recallAt10: recallAtK(results, truth, req.k),
    p50Ms: percentile(lat, 0.5),
    p95Ms: percentile(lat, 0.95),
    p99Ms: percentile(lat, 0.99),
    qps: (nQueries * 1000) / wall,
    kReturnedRate: full / nQueries,
  }
}
