import type { JobSpec } from './child/job'
import type { DatasetSpec } from './datasets/index'

/** The suites `--suite` accepts. */
export const SUITES = ['search', 'filtered', 'ingest', 'cache', 'monitor', 'open', 'memory'] as const
export type SuiteName = (typeof SUITES)[number]

/** efSearch values of every swept system. */
export const SWEEP = [10, 20, 40, 80, 160, 320]

/**
 * Jobs and the row systems each one writes (so `--system` can select a job by any of them),
 * the suites it takes part in, and the datasets it runs on.
 */
export const JOBS: {
  job: string
  systems: string[]
  suites: SuiteName[]
  datasets: ('sift-5k' | 'clustered-768')[]
}[] = [
  {
    job: 'vectorkit-memory-flat',
    systems: ['vectorkit-memory-flat'],
    suites: ['search', 'filtered', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'vectorkit-memory-hnsw',
    systems: [
      'vectorkit-memory-hnsw',
      'vectorkit-memory-hnsw+cache',
      'vectorkit-memory-hnsw+monitor',
      'noop-store+monitor',
    ],
    suites: ['search', 'filtered', 'memory', 'cache', 'monitor'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'hnswlib-node',
    systems: ['hnswlib-node'],
    suites: ['search', 'filtered', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'vectorkit-memory-hnsw-int8',
    systems: ['vectorkit-memory-hnsw-int8'],
    suites: ['search', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'postgres',
    systems: [
      'vectorkit-postgres-hnsw',
      'vectorkit-postgres-hnsw+cache',
      'pgvector-raw',
      'pgvector-naive',
      'pgvector-seqscan',
    ],
    suites: ['search', 'filtered', 'memory', 'cache'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'naive-js-scan',
    systems: ['naive-js-scan'],
    suites: ['search', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'js-float32-scan',
    systems: ['js-float32-scan'],
    suites: ['search', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'ingest',
    systems: [
      'vectorkit-memory-flat',
      'vectorkit-memory-hnsw',
      'vectorkit-postgres-flat',
      'vectorkit-postgres-hnsw',
      'pg-binary-copy',
      'pgvector-naive',
    ],
    suites: ['ingest'],
    datasets: ['clustered-768'],
  },
  { job: 'open', systems: ['vectorkit-memory-hnsw'], suites: ['open'], datasets: ['clustered-768'] },
  {
    job: 'vectorkit-memory-hnsw-int8-rerank',
    systems: ['vectorkit-memory-hnsw-int8-rerank'],
    suites: ['search', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
  {
    job: 'hnsw-js',
    systems: ['hnsw-js'],
    suites: ['search', 'memory'],
    datasets: ['sift-5k', 'clustered-768'],
  },
]

/** Sizes of a run. */
export interface RunSizes {
  clustered: DatasetSpec
  sift: DatasetSpec
  /** The slow pure-JS peer's prefix of the clustered set. */
  slowPeer: DatasetSpec
  slowPeerCapMs: number
  annQueries: number
  exactQueries: number
}

/** Full: 100k × 768 and 1,000 ANN queries; quick: 10k and 200, for the ≤ 3 min smoke test. */
export function runSizes(quick: boolean): RunSizes {
  return quick
    ? {
        clustered: { id: 'clustered-768', n: 10_000, nQueries: 200 },
        sift: { id: 'sift-5k', n: 4500, nQueries: 500 },
        slowPeer: { id: 'clustered-768', n: 300, nQueries: 50 },
        slowPeerCapMs: 12_000,
        annQueries: 100,
        exactQueries: 30,
      }
    : {
        clustered: { id: 'clustered-768', n: 100_000, nQueries: 1000 },
        sift: { id: 'sift-5k', n: 4500, nQueries: 500 },
        slowPeer: { id: 'clustered-768', n: 5000, nQueries: 200 },
        slowPeerCapMs: 240_000,
        annQueries: 1000,
        exactQueries: 100,
      }
}

/** Options that shape the plan. */
export interface PlanOptions {
  quick: boolean
  suites: SuiteName[]
  systems?: string[]
  datasets?: ('sift-5k' | 'clustered-768')[]
  /** Overrides the clustered set's base size (a scaled-down full run). */
  clusteredN?: number
  databaseUrl?: string
}

/** The jobs of a run, in order: cheap first, so a quick look at partial output is useful. */
export function planJobs(opts: PlanOptions): JobSpec[] {
  const sizes = runSizes(opts.quick)
  if (opts.clusteredN !== undefined) {
    if (!Number.isInteger(opts.clusteredN) || opts.clusteredN < 1000)
      throw new Error('--n must be an integer ≥ 1000')
    sizes.clustered = { ...sizes.clustered, n: opts.clusteredN }
    sizes.slowPeer = { ...sizes.slowPeer, n: Math.min(sizes.slowPeer.n, opts.clusteredN) }
  }
  const out: JobSpec[] = []
  for (const datasetId of ['sift-5k', 'clustered-768'] as const) {
    if (opts.datasets && !opts.datasets.includes(datasetId)) continue
    for (const j of JOBS) {
      if (!j.datasets.includes(datasetId)) continue
      if (opts.systems && !j.systems.some((s) => opts.systems!.includes(s)) && !opts.systems.includes(j.job))
        continue
      // Filtered, cache, monitor, ingest and open run on the 768-d set only.
      const suites = j.suites.filter(
        (s) => opts.suites.includes(s) && (datasetId === 'clustered-768' || s === 'search' || s === 'memory'),
      )
      if (suites.length === 0) continue
      let dataset = datasetId === 'sift-5k' ? sizes.sift : sizes.clustered
      let annQueries = Math.min(sizes.annQueries, dataset.nQueries)
      let capMs: number | undefined
      if (j.job === 'hnsw-js' && datasetId === 'clustered-768') {
        dataset = sizes.slowPeer
        annQueries = dataset.nQueries
        capMs = sizes.slowPeerCapMs
      } else if (j.job === 'hnsw-js') capMs = sizes.slowPeerCapMs
      const spec = {
        system: j.job,
        dataset,
        suites,
        k: 10,
        annQueries,
        exactQueries: Math.min(sizes.exactQueries, dataset.nQueries),
        sweep: SWEEP,
        ...(capMs === undefined ? {} : { capMs }),
        quick: opts.quick,
        ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      }
      // The open suite builds and closes a durable store in one process, and opens it in the next.
      if (j.job === 'open') out.push({ ...spec, system: 'open-build' })
      out.push(spec)
    }
  }
  return out
}
