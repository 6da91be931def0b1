/**
 * Child-process entry: receives one JobSpec over IPC, runs it, streams rows and progress back.
 * Each system gets a fresh process so its memory readings and JIT state are its own.
 */
import { prepareDataset } from '../datasets/index'
import type { BenchRow } from '../results'
import { sampleCpu, stealPercent } from '../results'
import { DidNotFinish, SystemUnavailable } from '../systems/types'
import { versionsFor } from '../versions'
import { INDEX_SYSTEMS, runIndexSystem } from './index-systems'
import { runIngestJob } from './ingest-job'
import { type ChildMessage, type JobSpec, rowBase } from './job'
import { runOpenBuild, runOpenMeasure } from './open-job'
import { runPostgresJob } from './postgres-job'

const send = (msg: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) {
      resolve()
      return
    }
    process.send(msg, undefined, {}, () => resolve())
  })

let lastProgress = 0
function progress(label: string, done: number, total: number): void {
  const now = Date.now()
  if (done < total && now - lastProgress < 200) return
  lastProgress = now
  void send({ type: 'progress', label, done, total })
}

async function run(job: JobSpec): Promise<void> {
  const cpu0 = sampleCpu()
  const pending: Promise<void>[] = []
  const extraVersions: Record<string, string> = {}
  const emit = (row: Omit<BenchRow, 'stealPct' | 'versions'>) => {
    const steal = stealPercent(cpu0, sampleCpu())
    const full: BenchRow = {
      ...row,
      ...(steal === undefined ? {} : { stealPct: steal }),
      versions: versionsFor(row.system, extraVersions),
    }
    pending.push(send({ type: 'row', row: full }))
  }
  const dim = job.dataset.id === 'sift-5k' ? 128 : 768
  const metric = job.dataset.id === 'sift-5k' ? 'l2' : 'cosine'
  const note = (suite: string, text: string) =>
    emit({ ...rowBase(job, dim, metric), suite, system: job.system, params: {}, note: text })
  try {
    if (job.system === 'prepare') await prepareDataset(job.dataset, job.k, progress)
    else if (INDEX_SYSTEMS[job.system]) await runIndexSystem(job, emit, progress)
    else if (job.system === 'postgres') await runPostgresJob(job, emit, progress, extraVersions)
    else if (job.system === 'ingest') await runIngestJob(job, emit, progress, extraVersions)
    else if (job.system === 'open-build') await runOpenBuild(job, progress, {})
    else if (job.system === 'open') await runOpenMeasure(job, emit, progress)
    else throw new Error(`unknown job ${job.system}`)
  } catch (err) {
    if (err instanceof SystemUnavailable || err instanceof DidNotFinish) {
      for (const suite of job.suites) note(suite, err.message)
    } else {
      await Promise.all(pending)
      const e = err as Error
      await send({ type: 'error', message: `${e.stack ?? e.message}` })
      process.exit(1)
    }
  }
  await Promise.all(pending)
  await send({ type: 'done' })
  // Native addons and pools can hold the loop open; the job is over.
  process.exit(0)
}

process.once('message', (job: JobSpec) => {
  void run(job)
})
