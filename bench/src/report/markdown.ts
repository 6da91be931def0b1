import type { BenchResult, BenchRow } from '../results'
import { claimsTable } from './claims'
import { equalRecallRatio } from './equal-recall'
import { checkTargets, targetsTable } from './targets'

const f = (v: number | null | undefined, digits = 2): string =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits)
const fq = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)
const fms = (v: number | null | undefined): string =>
  v === null || v === undefined ? '–' : v < 0.1 ? v.toFixed(4) : v < 10 ? v.toFixed(3) : v.toFixed(1)

function paramText(p: Record<string, unknown>): string {
  const skip = new Set(['m', 'efConstruction', 'pairedRatios'])
  return Object.entries(p)
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v)}`)
    .join(' ')
}

function table(header: string[], body: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`]
  for (const r of body) lines.push(`| ${r.join(' | ')} |`)
  return lines.join('\n')
}

/** The search/filtered table: one line per measurement, with the equal-recall ratio. */
export function searchTable(rows: BenchRow[], all: BenchRow[]): string {
  return table(
    [
      'dataset',
      'n',
      'system',
      'params',
      'recall@10',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'QPS',
      'vs peer at equal recall',
      'k returned',
      'build s',
      'B/vector',
      'note',
    ],
    rows.map((r) => {
      const eq = equalRecallRatio(all, r)
      return [
        r.dataset,
        String(r.n),
        r.system,
        paramText(r.params),
        f(r.recallAt10, 3),
        fms(r.p50Ms),
        fms(r.p95Ms),
        fms(r.p99Ms),
        fq(r.qps),
        eq ? `${eq.ratio.toFixed(2)}× ${eq.peer}` : '',
        r.kReturnedRate === undefined ? '' : `${(r.kReturnedRate * 100).toFixed(0)}%`,
        r.buildMs === null ? '–' : (r.buildMs / 1000).toFixed(1),
        r.bytesPerVector === null ? '–' : Math.round(r.bytesPerVector).toLocaleString('en-US'),
        r.note ?? '',
      ]
    }),
  )
}

function genericTable(rows: BenchRow[]): string {
  return table(
    [
      'dataset',
      'n',
      'system',
      'params',
      'p50 ms',
      'p95 ms',
      'QPS',
      'rows/s',
      'hit ratio',
      'open ms',
      'recall@10',
      'B/vector',
      'RSS MB',
      'build s',
      'note',
    ],
    rows.map((r) => [
      r.dataset,
      String(r.n),
      r.system,
      paramText(r.params),
      fms(r.p50Ms),
      fms(r.p95Ms),
      fq(r.qps),
      r.rowsPerSec === undefined ? '' : Math.round(r.rowsPerSec).toLocaleString('en-US'),
      r.hitRatio === undefined ? '' : f(r.hitRatio, 3),
      r.openMs === undefined ? '' : f(r.openMs, 0),
      f(r.recallAt10, 3),
      r.bytesPerVector === null ? '–' : Math.round(r.bytesPerVector).toLocaleString('en-US'),
      r.rssBytes === undefined ? '' : (r.rssBytes / 1e6).toFixed(1),
      r.buildMs === null ? '–' : (r.buildMs / 1000).toFixed(1),
      r.note ?? '',
    ]),
  )
}

/** Markdown for every suite in the result, in suite order. */
export function renderMarkdown(result: BenchResult): string {
  const out: string[] = []
  const suites = [...new Set(result.runs.map((r) => r.suite))]
  for (const suite of suites) {
    const rows = result.runs.filter((r) => r.suite === suite)
    out.push(`### ${suite}\n`)
    out.push(suite === 'search' || suite === 'filtered' ? searchTable(rows, result.runs) : genericTable(rows))
    out.push('')
  }
  return out.join('\n')
}

/** The whole report file: header, machine, tables. */
export function renderReport(result: BenchResult, charts: string[]): string {
  const m = result.machine
  const steal = result.runs.map((r) => r.stealPct).filter((s): s is number => s !== undefined)
  const maxSteal = steal.length ? Math.max(...steal) : undefined
  return [
    `# vectorkit bench — ${result.startedAt}`,
    '',
    `Machine: ${m.cpus} CPUs (${m.cpuModel ?? 'unknown'}), Node ${m.node}, ${m.platform ?? ''}. Options: \`${JSON.stringify(result.options)}\`.`,
    maxSteal === undefined ? '' : `Highest CPU steal seen by a job: ${maxSteal.toFixed(1)}%.`,
    '',
    'Single client, one query at a time. QPS = queries / wall time of the loop. Recall@10 against exact',
    'ground truth. "vs peer at equal recall" = our QPS / the peer\'s QPS interpolated on its',
    '(recall, log QPS) curve at our recall (memory → hnswlib-node, Postgres → raw pgvector query).',
    '',
    "## The reference design's claims beside this run\n",
    claimsTable(result.runs),
    '',
    '## Targets\n',
    targetsTable(checkTargets(result.runs)),
    '',
    renderMarkdown(result),
    charts.length ? '## Charts\n' : '',
    ...charts.map((c) => `![${c}](${c})\n`),
  ].join('\n')
}
