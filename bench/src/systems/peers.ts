import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'
import { type Dataset, FILTERS } from '../datasets/index'
import { type BuildContext, DidNotFinish, type SearchRequest, type SystemInstance } from './types'

const require = createRequire(import.meta.url)

/** Parameters of the native peer (the HNSW issue's reference build). */
export const HNSWLIB_PARAMS = { m: 16, efConstruction: 64, randomSeed: 100 } as const

interface HnswlibIndex {
  initIndex(opts: { maxElements: number; m?: number; efConstruction?: number; randomSeed?: number }): void
  addPoint(point: number[], label: number): void
  setEf(ef: number): void
  searchKnn(q: number[], k: number, filter?: (label: number) => boolean): { neighbors: number[] }
}

/** Yields to the event loop so progress messages reach the parent during long sync builds. */
export const tick = (): Promise<void> => new Promise((r) => setImmediate(r))

/** `hnswlib-node` 3.0.0: hnswlib's C++ through N-API, single thread, m 16 / efConstruction 64. */
export async function buildHnswlib(ds: Dataset, ctx: BuildContext): Promise<SystemInstance> {
  const { HierarchicalNSW } = require('hnswlib-node') as {
    HierarchicalNSW: new (space: string, dim: number) => HnswlibIndex
  }
  const index = new HierarchicalNSW(ds.metric === 'cosine' ? 'cosine' : 'l2', ds.dim)
  index.initIndex({ maxElements: ds.n, ...HNSWLIB_PARAMS })
  for (let r = 0; r < ds.n; r++) {
    index.addPoint(Array.from(ds.base.subarray(r * ds.dim, (r + 1) * ds.dim)), r)
    if (r % 1000 === 999) {
      ctx.progress('build hnswlib-node', r + 1, ds.n)
      await tick()
    }
  }
  const queries = Array.from({ length: ds.nQueries }, (_, q) =>
    Array.from(ds.queries.subarray(q * ds.dim, (q + 1) * ds.dim)),
  )
  const predicates = {
    none: undefined,
    'sel-1pct': (label: number) => FILTERS['sel-1pct'].match(ds.buckets[label]!),
    'sel-10pct': (label: number) => FILTERS['sel-10pct'].match(ds.buckets[label]!),
  }
  let ef = -1
  return {
    search(qi: number, req: SearchRequest) {
      const want = req.efSearch ?? 10
      if (want !== ef) {
        index.setEf(want)
        ef = want
      }
      const f = predicates[req.filter ?? 'none']
      return index.searchKnn(queries[qi]!, req.k, f).neighbors
    },
    async close() {},
  }
}

interface PureJsHnsw {
  addPoint(id: number, vector: Float32Array | number[]): Promise<void>
  searchKNN(q: Float32Array | number[], k: number, o?: { efSearch?: number }): { id: number }[]
}

/**
 * `hnsw` 1.1.1 from npm, a pure TypeScript HNSW (objects and Maps), m 16 / efConstruction 64.
 * Slow to build, so it runs on a prefix of the data and stops at the job's deadline.
 */
export async function buildPureJsHnsw(ds: Dataset, ctx: BuildContext): Promise<SystemInstance> {
  const { HNSW } = require('hnsw') as {
    HNSW: new (m: number, efc: number, d: number, metric: string, efSearch?: number) => PureJsHnsw
  }
  const index = new HNSW(16, 64, ds.dim, ds.metric === 'cosine' ? 'cosine' : 'euclidean', 40)
  const started = performance.now()
  for (let r = 0; r < ds.n; r++) {
    await index.addPoint(r, ds.base.subarray(r * ds.dim, (r + 1) * ds.dim))
    if (r % 200 === 199) {
      ctx.progress('build hnsw (pure JS)', r + 1, ds.n)
      if (ctx.deadline !== undefined && performance.now() > ctx.deadline) {
        const s = ((performance.now() - started) / 1000).toFixed(0)
        throw new DidNotFinish(`did not finish: built ${r + 1} of ${ds.n} rows in ${s} s (time cap)`)
      }
    }
  }
  const queries = Array.from({ length: ds.nQueries }, (_, q) =>
    ds.queries.subarray(q * ds.dim, (q + 1) * ds.dim),
  )
  return {
    search(qi: number, req: SearchRequest) {
      const hits = index.searchKNN(
        queries[qi]!,
        req.k,
        req.efSearch === undefined ? {} : { efSearch: req.efSearch },
      )
      return hits.map((h) => h.id)
    },
    async close() {},
  }
}
