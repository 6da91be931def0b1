/**
 * `pnpm bench [--quick] [--suite <name>] [--system <name>] [--json <file>]`
 *
 * Prepares datasets and exact ground truth (cached in bench/.cache), runs each system in its
 * own child process, prints markdown tables and writes bench/results/<timestamp>.{json,md}
 * plus SVG charts in bench/results/<timestamp>/.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { Command, Option } from 'commander'
import type { JobSpec } from './child/job'
import { REPO_ROOT } from './datasets/index'
import { planJobs, SUITES, type SuiteName } from './plan'
import { renderCharts } from './report/charts'
import { renderMarkdown, renderReport } from './report/markdown'
import { checkTargets, targetsTable } from './report/targets'
import { type BenchRow, newResult } from './results'
import { Progress, runJob } from './runner'

const program = new Command()
  .name('pnpm bench')
  .description('vectorkit benchmarks against peers; writes bench/results/<timestamp>.{json,md} and charts')
  .option('--quick', 'small data (10k × 768), few queries: the ≤ 3 min CI smoke test', false)
  .addOption(new Option('--suite <name...>', 'run only these suites').choices([...SUITES]))
  .option('--system <name...>', 'run only jobs that write rows for these systems')
  .addOption(
    new Option('--dataset <id...>', 'run only on these datasets').choices(['sift-5k', 'clustered-768']),
  )
  .option('--json <file>', 'also write the JSON result to this file')
  .option(
    '--budget-min <minutes>',
    'jobs not started within this many minutes are written as "not run" (full run: 29)',
  )
  .option('--n <rows>', 'size of the clustered-768 base set (default 100,000; quick 10,000)')
  .option('--out <dir>', 'results directory', join(REPO_ROOT, 'bench/results'))
  .parse()

const opts = program.opts<{
  quick: boolean
  suite?: SuiteName[]
  system?: string[]
  dataset?: ('sift-5k' | 'clustered-768')[]
  json?: string
  out: string
  budgetMin?: string
  n?: string
}>()
const budgetMs = Number(opts.budgetMin ?? (opts.quick ? Number.POSITIVE_INFINITY : 29)) * 60_000
const databaseUrl = process.env.VECTORKIT_BENCH_DATABASE_URL ?? process.env.VECTORKIT_TEST_DATABASE_URL
const suites = opts.suite ?? [...SUITES]

const jobs = planJobs({
  quick: opts.quick,
  suites,
  ...(opts.system ? { systems: opts.system } : {}),
  ...(opts.dataset ? { datasets: opts.dataset } : {}),
  ...(opts.n ? { clusteredN: Number(opts.n) } : {}),
  ...(databaseUrl ? { databaseUrl } : {}),
})
const result = newResult({
  quick: opts.quick,
  suites,
  systems: opts.system ?? 'all',
  postgres: Boolean(databaseUrl),
})
const progress = new Progress()
const failures: string[] = []
const started = Date.now()

// Datasets and ground truth first, each in a child so the terminal keeps updating.
const specs = new Map<string, JobSpec>()
for (const j of jobs) {
  const key = `${j.dataset.id}-${j.dataset.n}-${j.dataset.nQueries}`
  if (!specs.has(key)) specs.set(key, { ...j, system: 'prepare', suites: [] })
}
for (const prep of specs.values()) {
  const out = await runJob(
    prep,
    (l, d, t) => progress.update(l, d, t),
    () => {},
  )
  if (out.error) {
    progress.stop()
    console.error(`preparing ${prep.dataset.id} failed:\n${out.error}`)
    process.exit(1)
  }
}

for (const job of jobs) {
  if (Date.now() - started > budgetMs) {
    for (const suite of job.suites)
      result.runs.push(errorRow(job, suite, 'did not finish: not started, the run budget was spent'))
    continue
  }
  progress.log(`job ${job.system} on ${job.dataset.id} (n=${job.dataset.n}): ${job.suites.join(', ')}`)
  const jobStarted = Date.now()
  const out = await runJob(
    job,
    (l, d, t) => progress.update(`${job.dataset.id} ${l}`, d, t),
    (row: BenchRow) => result.runs.push(row),
    opts.quick ? 5 * 60_000 : 15 * 60_000,
  )
  progress.log(`  done in ${((Date.now() - jobStarted) / 1000).toFixed(1)} s`)
  if (out.error) {
    failures.push(`${job.system} on ${job.dataset.id}: ${out.error}`)
    for (const suite of job.suites)
      result.runs.push(errorRow(job, suite, `error: ${out.error.split('\n')[0]}`))
  }
}
progress.stop()
result.finishedAt = new Date().toISOString()

function errorRow(job: JobSpec, suite: string, note: string): BenchRow {
  return {
    suite,
    system: job.system,
    dataset: job.dataset.id,
    n: job.dataset.n,
    dim: job.dataset.id === 'sift-5k' ? 128 : 768,
    metric: job.dataset.id === 'sift-5k' ? 'l2' : 'cosine',
    k: job.k,
    params: {},
    recallAt10: null,
    p50Ms: null,
    p95Ms: null,
    p99Ms: null,
    qps: null,
    buildMs: null,
    bytesPerVector: null,
    note,
  }
}

const stamp = result.startedAt.replace(/[:.]/g, '-') + (opts.quick ? '-quick' : '')
const outDir = resolve(opts.out)
mkdirSync(join(outDir, stamp), { recursive: true })
const charts = renderCharts(result.runs)
for (const [name, svg] of Object.entries(charts)) writeFileSync(join(outDir, stamp, name), svg)
writeFileSync(join(outDir, `${stamp}.json`), `${JSON.stringify(result, null, 2)}\n`)
writeFileSync(
  join(outDir, `${stamp}.md`),
  renderReport(
    result,
    Object.keys(charts).map((c) => `${stamp}/${c}`),
  ),
)
if (opts.json) writeFileSync(resolve(opts.json), `${JSON.stringify(result, null, 2)}\n`)

console.log(renderMarkdown(result))
const checks = checkTargets(result.runs)
if (checks.length) console.log(`### targets\n\n${targetsTable(checks)}\n`)
console.log(
  `wrote ${relative(process.cwd(), join(outDir, `${stamp}.json`))}, .md and ${Object.keys(charts).length} charts in ${((Date.now() - started) / 1000).toFixed(0)} s`,
)
if (failures.length) {
  console.error(`\n${failures.length} job(s) failed:\n${failures.join('\n\n')}`)
  process.exit(1)
}
