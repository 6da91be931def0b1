import type { BenchRow } from '../results'
import { equalRecallRatio } from './equal-recall'

/** One target of the HNSW, Postgres, cache/monitor and durability issues, as measured. */
export interface TargetCheck {
  issue: string
  target: string
  measured: string
  /** undefined: not measured in this run. */
  met?: boolean
}

const ms = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : `${v.toFixed(v < 1 ? 3 : 1)} ms`
const x = (v: number) => `${v.toFixed(2)}×`

function pick(rows: BenchRow[], suite: string, system: string, dataset?: string) {
  return rows.filter(
    (r) =>
      r.suite === suite &&
      r.system === system &&
      (dataset === undefined || r.dataset === dataset) &&
      r.qps !== null,
  )
}

/** Smallest efSearch whose recall reaches `min` (sweep rows in order). */
function firstReaching(rows: BenchRow[], min: number): BenchRow | undefined {
  return rows
    .filter((r) => typeof r.params.efSearch === 'number' && (r.recallAt10 ?? 0) >= min)
    .sort((a, b) => (a.params.efSearch as number) - (b.params.efSearch as number))[0]
}

/**
 * Evaluates every bench target the issues state, from one run's rows. The 100k targets are
 * only judged on a full run (n = 100,000); on a quick run they say so.
 */
export function checkTargets(rows: BenchRow[]): TargetCheck[] {
  const out: TargetCheck[] = []
  const add = (issue: string, target: string, measured: string, met?: boolean) =>
    out.push({ issue, target, measured, ...(met === undefined ? {} : { met }) })
  const big = 'clustered-768'
  const bigN = rows.find((r) => r.dataset === big && r.suite === 'search')?.n
  const full = bigN === 100_000
  const scale = full ? '' : ` (measured at n ${bigN ?? '?'}, not 100k)`

  // Issue 3: memory HNSW.
  const siftOurs = firstReaching(pick(rows, 'search', 'vectorkit-memory-hnsw', 'sift-5k'), 0.98)
  const siftEq = siftOurs && equalRecallRatio(rows, siftOurs)
  if (siftOurs)
    add(
      '3',
      'sift-5k: recall@10 ≥ 0.98 at ≥ 0.7× hnswlib-node QPS at equal recall',
      `efSearch ${siftOurs.params.efSearch}: recall ${siftOurs.recallAt10!.toFixed(3)}, ${siftEq ? x(siftEq.ratio) : 'no peer point'}`,
      siftEq ? siftEq.ratio >= 0.7 : undefined,
    )
  const bigRows = pick(rows, 'search', 'vectorkit-memory-hnsw', big)
  const at95 = firstReaching(bigRows, 0.95)
  const eq95 = at95 && equalRecallRatio(rows, at95)
  if (at95) {
    add(
      '3',
      `clustered: p50 ≤ 1 ms at the smallest efSearch reaching recall 0.95${scale}`,
      `efSearch ${at95.params.efSearch}: recall ${at95.recallAt10!.toFixed(3)}, p50 ${ms(at95.p50Ms)}`,
      at95.p50Ms! <= 1,
    )
    add(
      '3',
      `clustered: QPS ≥ 0.5× hnswlib-node at equal recall (aim 1×)${scale}`,
      eq95 ? x(eq95.ratio) : 'no peer point',
      eq95 ? eq95.ratio >= 0.5 : undefined,
    )
  }
  const peer = pick(rows, 'search', 'hnswlib-node', big)[0]
  if (bigRows[0] && peer?.buildMs && bigRows[0].buildMs) {
    const r = bigRows[0].buildMs / peer.buildMs
    add(
      '3',
      `clustered: build time ≤ 2× hnswlib-node (m 16 / efC 64)${scale}`,
      `${(bigRows[0].buildMs / 1000).toFixed(1)} s vs ${(peer.buildMs / 1000).toFixed(1)} s = ${x(r)}`,
      r <= 2,
    )
  }
  const flat = pick(rows, 'search', 'vectorkit-memory-flat', big)[0]
  const jsScan = pick(rows, 'search', 'js-float32-scan', big)[0]
  if (flat) {
    const r = jsScan ? flat.p50Ms! / jsScan.p50Ms! : undefined
    add(
      '3',
      `exact scan float32: p50 ≤ 45 ms and ≤ 0.2× a plain-JS Float32Array scan${scale}`,
      `p50 ${ms(flat.p50Ms)}${r === undefined ? '' : `, ${x(r)} of js-float32-scan (${ms(jsScan!.p50Ms)})`}`,
      flat.p50Ms! <= 45 && (r === undefined || r <= 0.2),
    )
  }
  const int8Exact = pick(rows, 'search', 'vectorkit-memory-hnsw-int8', big).find(
    (r) => r.params.exact === true,
  )
  if (int8Exact)
    add('3', `exact scan int8: p50 ≤ 15 ms${scale}`, `p50 ${ms(int8Exact.p50Ms)}`, int8Exact.p50Ms! <= 15)
  if (bigRows[0]?.bytesPerVector && peer?.bytesPerVector) {
    const r = bigRows[0].bytesPerVector / peer.bytesPerVector
    add(
      '3',
      `float32 HNSW bytes/vector ≤ 1.1× hnswlib-node${scale}`,
      `${Math.round(bigRows[0].bytesPerVector)} B vs ${Math.round(peer.bytesPerVector)} B = ${x(r)}`,
      r <= 1.1,
    )
  }
  const int8 = pick(rows, 'search', 'vectorkit-memory-hnsw-int8', big)[0]
  if (int8?.rssBytes !== undefined)
    add(
      '3',
      `int8 (rerank off) 100k × 768: ≤ 130 MB in total${scale}`,
      `${(int8.rssBytes / 1e6).toFixed(1)} MB RSS growth`,
      full ? int8.rssBytes <= 130e6 : undefined,
    )
  for (const f of ['sel-10pct', 'sel-1pct']) {
    const r = pick(rows, 'filtered', 'vectorkit-memory-hnsw', big).find((row) => row.params.filter === f)
    if (r)
      add(
        '3',
        `memory filtered ${f}: recall@10 ≥ 0.95`,
        `recall ${r.recallAt10!.toFixed(3)}, k returned ${(r.kReturnedRate! * 100).toFixed(0)}%, p50 ${ms(r.p50Ms)}`,
        r.recallAt10! >= 0.95,
      )
  }

  // Issue 4: Postgres.
  const ing = (s: string) => rows.find((r) => r.suite === 'ingest' && r.system === s && r.p50Ms !== null)
  const pgFlat = ing('vectorkit-postgres-flat')
  const copy = ing('pg-binary-copy')
  const naive = ing('pgvector-naive')
  if (pgFlat && copy && naive) {
    const r1 = pgFlat.p50Ms! / copy.p50Ms!
    const r2 = pgFlat.rowsPerSec! / naive.rowsPerSec!
    add(
      '4',
      '1,000 × 768 upsert, unindexed: ≤ 1.5× a bare binary COPY (reference claims ~50 ms)',
      `p50 ${ms(pgFlat.p50Ms)} vs COPY ${ms(copy.p50Ms)} = ${x(r1)}`,
      r1 <= 1.5,
    )
    add(
      '4',
      '… and ≥ 6× pgvector-naive rows/s',
      `${Math.round(pgFlat.rowsPerSec!)} vs ${Math.round(naive.rowsPerSec!)} rows/s = ${x(r2)}`,
      r2 >= 6,
    )
  }
  const pgDefault = pick(rows, 'search', 'vectorkit-postgres-hnsw', big).find(
    (r) => typeof r.params.efSearch === 'string',
  )
  if (pgDefault) {
    add(
      '4',
      `search, balanced profile: p50 ≤ 5 ms at recall@10 ≥ 0.95${scale}`,
      `recall ${pgDefault.recallAt10!.toFixed(3)}, p50 ${ms(pgDefault.p50Ms)}`,
      pgDefault.recallAt10! >= 0.95 && pgDefault.p50Ms! <= 5,
    )
    const eq = equalRecallRatio(rows, pgDefault)
    add(
      '4',
      `… within 1.2× of a raw pgvector query at the same recall${scale}`,
      eq
        ? `ours / raw QPS = ${x(eq.ratio)} (raw is ${x(1 / eq.ratio)} faster)`
        : 'no raw point at that recall',
      eq ? eq.ratio >= 1 / 1.2 : undefined,
    )
  }
  const f1 = pick(rows, 'filtered', 'vectorkit-postgres-hnsw', big).find(
    (r) => r.params.filter === 'sel-1pct',
  )
  if (f1) {
    const plain = pick(rows, 'filtered', 'pgvector-naive', big).find((r) => r.params.filter === 'sel-1pct')
    const seq = pick(rows, 'filtered', 'pgvector-seqscan', big).find((r) => r.params.filter === 'sel-1pct')
    add(
      '4',
      'filtered 1%: k rows every time, recall@10 ≥ 0.95, p50 ≤ 15 ms',
      `k returned ${(f1.kReturnedRate! * 100).toFixed(0)}%, recall ${f1.recallAt10!.toFixed(3)}, p50 ${ms(f1.p50Ms)}; plain index query: ${plain ? `${(plain.kReturnedRate! * 100).toFixed(0)}% with k rows` : '–'}; planner exact: ${seq ? `p50 ${ms(seq.p50Ms)}` : '–'}`,
      f1.kReturnedRate === 1 && f1.recallAt10! >= 0.95 && f1.p50Ms! <= 15,
    )
  }

  // Issue 5: cache and monitor.
  for (const s of ['vectorkit-memory-hnsw+cache', 'vectorkit-postgres-hnsw+cache']) {
    const hit = rows.find((r) => r.suite === 'cache' && r.system === s && r.params.measure === 'hit')
    if (hit)
      add(
        '5',
        `cache hit p50 ≤ 20 µs (k 10, 768-d), ${s}`,
        `${(hit.p50Ms! * 1000).toFixed(1)} µs, hit ratio ${hit.hitRatio!.toFixed(3)}`,
        hit.p50Ms! <= 0.02,
      )
  }
  const mon = rows.find((r) => r.suite === 'monitor' && r.system === 'vectorkit-memory-hnsw+monitor')
  if (mon) {
    const ratio = mon.params.medianPairedRatio as number
    add(
      '5',
      'monitor overhead ≤ 5% of memory-HNSW QPS (median of paired ratios)',
      `ratio ${ratio.toFixed(3)} = ${((1 - ratio) * 100).toFixed(1)}% overhead`,
      ratio >= 0.95,
    )
  }
  const noop = rows.find((r) => r.suite === 'monitor' && r.system === 'noop-store+monitor')
  if (noop) {
    const us = noop.params.overheadUsPerCall as number
    add('5', 'monitor ≤ 2 µs per call on a no-op store', `${us.toFixed(2)} µs`, us <= 2)
  }

  // Issue 6: open time.
  const open = rows.find((r) => r.suite === 'open' && r.openMs !== undefined)
  if (open)
    add(
      '6',
      `open a persisted 100k × 768 HNSW collection ≤ 2 s${scale}`,
      `${(open.openMs! / 1000).toFixed(2)} s at n ${open.n}, recall after open ${open.recallAt10?.toFixed(3)}`,
      full ? open.openMs! <= 2000 : undefined,
    )
  return out
}

/** The checks as a markdown table. */
export function targetsTable(checks: TargetCheck[]): string {
  const lines = ['| issue | target | measured | status |', '| --- | --- | --- | --- |']
  for (const c of checks)
    lines.push(
      `| ${c.issue} | ${c.target} | ${c.measured} | ${c.met === undefined ? 'n/a' : c.met ? 'met' : '**missed**'} |`,
    )
  return lines.join('\n')
}
