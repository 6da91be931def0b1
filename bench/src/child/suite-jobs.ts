import type { BenchRow } from '../results'
import { SystemUnavailable } from '../systems/types'
import { runIngestJob } from './ingest-job'
import type { JobSpec } from './job'
import { runOpenBuild, runOpenMeasure } from './open-job'
import { runPostgresJob } from './postgres-job'

type Emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => void
type Progress = (label: string, done: number, total: number) => void

/** Jobs that are not one index system: Postgres, ingest, open. */
export async function runJobBySuite(
  job: JobSpec,
  emit: Emit,
  progress: Progress,
  versions: Record<string, string>,
) {
  if (job.system === 'postgres') return runPostgresJob(job, emit, progress, versions)
  if (job.system === 'ingest') return runIngestJob(job, emit, progress, versions)
  if (job.system === 'open-build') return runOpenBuild(job, progress, {})
  if (job.system === 'open') return runOpenMeasure(job, emit, progress)
  throw new SystemUnavailable(`skipped: job ${job.system} is not implemented in this bench version`)
}
