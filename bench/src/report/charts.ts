import type { BenchRow } from '../results'
import { barChart, lineChart, type Series } from './svg'

/** File name → SVG text for every chart the run's rows support. */
export function renderCharts(rows: BenchRow[]): Record<string, string> {
  const charts: Record<string, string> = {}
  const measured = rows.filter((r) => r.note === undefined || !/^(skipped|did not finish|error)/.test(r.note))
  for (const dataset of [...new Set(measured.filter((r) => r.suite === 'search').map((r) => r.dataset))]) {
    const search = measured.filter((r) => r.suite === 'search' && r.dataset === dataset && r.qps !== null)
    const bySystem = new Map<string, Series>()
    for (const r of search) {
      const name =
        r.params.exact === true && !r.system.includes('flat') && !r.system.includes('scan')
          ? `${r.system} (exact)`
          : r.system
      const s = bySystem.get(name) ?? { name, points: [], dashed: !r.system.startsWith('vectorkit-') }
      s.points.push({ x: r.recallAt10 ?? 0, y: r.qps! })
      bySystem.set(name, s)
    }
    const n = search[0]?.n ?? 0
    charts[`recall-qps-${dataset}.svg`] = lineChart(
      `recall@10 vs QPS — ${dataset} (n=${n}), one client`,
      'recall@10',
      'queries per second',
      [...bySystem.values()],
    )
    // Latency percentiles: each system at efSearch 40 (or its exact scan).
    const pick = search.filter((r) => r.params.efSearch === 40 || r.params.efSearch === undefined)
    charts[`latency-${dataset}.svg`] = barChart(
      `latency percentiles — ${dataset} (ANN systems at efSearch 40)`,
      'milliseconds per query',
      pick.map((r) => ({
        label: `${r.system}${r.params.exact === true && r.system.includes('hnsw') ? ' (exact)' : ''}`,
        values: [r.p50Ms ?? 0, r.p95Ms ?? 0, r.p99Ms ?? 0],
      })),
      ['p50', 'p95', 'p99'],
      true,
    )
  }
  // One bar per system: the memory suite's row (the raw-SQL systems share vectorkit's table).
  const mem = new Map<string, number>()
  for (const r of measured) {
    if (r.suite === 'memory' && r.dataset === 'clustered-768' && r.bytesPerVector !== null) {
      mem.set(`${r.system}${r.system.includes('postgres') ? ' (on disk)' : ''} (n=${r.n})`, r.bytesPerVector)
    }
  }
  if (mem.size) {
    charts['bytes-per-vector.svg'] = barChart(
      'memory per vector — clustered-768 (RSS growth / n; Postgres: table + index bytes / n)',
      'bytes per vector',
      [...mem].map(([label, v]) => ({ label, values: [v] })),
      ['bytes'],
    )
  }
  const ingest = measured.filter((r) => r.suite === 'ingest' && r.rowsPerSec !== undefined)
  if (ingest.length) {
    charts['ingest.svg'] = barChart(
      'ingest — 1,000 × 768 batches (p50), rows per second',
      'rows per second',
      ingest.map((r) => ({
        label: `${r.system}${r.params.index ? ` (${r.params.index})` : ''}`,
        values: [r.rowsPerSec!],
      })),
      ['rows/s'],
      true,
    )
  }
  return charts
}
