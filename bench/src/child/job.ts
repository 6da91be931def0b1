import type { DatasetSpec } from '../datasets/index'
import type { BenchRow } from '../results'

/**
 * One unit of work run in its own child process: one system (or one suite that needs its own
 * process) on one dataset. Memory is measured in the same process as latency.
 *
 * @example
 * ```ts
 * const job: JobSpec = { system: 'hnswlib-node', dataset: { id: 'sift-5k', n: 4500, nQueries: 500 },
 *   suites: ['search'], k: 10, annQueries: 500, exactQueries: 100, sweep: [10, 40], quick: true }
 * ```
 */
export interface JobSpec {
  system: string
  dataset: DatasetSpec
  /** Selected suites; the job emits rows for those it takes part in. */
  suites: string[]
  k: number
  /** Queries per ANN measurement (≤ dataset.nQueries). */
  annQueries: number
  /** Queries per exact-scan or seq-scan measurement. */
  exactQueries: number
  /** efSearch values for swept systems. */
  sweep: number[]
  /** Wall-clock budget for a slow build, in ms from the job's start. */
  capMs?: number
  quick: boolean
  databaseUrl?: string
}

/** Messages from a child to the parent. */
export type ChildMessage =
  | { type: 'progress'; label: string; done: number; total: number }
  | { type: 'row'; row: BenchRow }
  | { type: 'done' }
  | { type: 'error'; message: string }

/** The fields every row of a job shares. */
export function rowBase(
  job: JobSpec,
  dim: number,
  metric: string,
): Omit<BenchRow, 'suite' | 'system' | 'params'> {
  return {
    dataset: job.dataset.id,
    n: job.dataset.n,
    dim,
    metric,
    k: job.k,
    recallAt10: null,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    qps: null,
    buildMs: null,
    bytesPerVector: null,
  }
}
