import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

/**
 * One measured row, schema 1. The required fields are those of the foundation issue; later
 * suites add rows and fill optional fields, never rename or drop one. Numbers are unrounded.
 * A row that did not produce a measurement (`skipped: …`, `did not finish`, `error: …`) carries
 * `null` in the measured fields and says why in `note`.
 *
 * @example
 * ```ts
 * const row: BenchRow = { suite: 'search', system: 'hnswlib-node', dataset: 'sift-5k', n: 4500, dim: 128,
 *   metric: 'l2', k: 10, params: { efSearch: 40 }, recallAt10: 0.99, p50Ms: 0.1, p95Ms: 0.2, p99Ms: 0.3,
 *   qps: 9000, buildMs: 500, bytesPerVector: 700 }
 * ```
 */
export interface BenchRow {
  suite: string
  system: string
  dataset: string
  n: number
  dim: number
  metric: string
  k: number
  params: Record<string, unknown>
  recallAt10: number | null
  p50Ms: number | null
  p95Ms: number | null
  p99Ms: number | null
  qps: number | null
  buildMs: number | null
  bytesPerVector: number | null
  batchSize?: number
  rowsPerSec?: number
  /** Share of queries that returned k hits. */
  kReturnedRate?: number
  hitRatio?: number
  /** RSS growth caused by building (the source data was loaded before the first reading). */
  rssBytes?: number
  /** V8 heap growth caused by building. */
  heapBytes?: number
  openMs?: number
  /** Share of CPU time stolen by the hypervisor while this row's child ran, in percent. */
  stealPct?: number
  versions?: Record<string, string>
  /** Why a row has no numbers, or a caveat about them. */
  note?: string
}

/** The file written by every run. */
export interface BenchResult {
  schema: 1
  startedAt: string
  finishedAt?: string
  machine: { cpus: number; node: string; cpuModel?: string; totalMemBytes?: number; platform?: string }
  options?: Record<string, unknown>
  runs: BenchRow[]
}

/** A fresh result envelope for this machine. */
export function newResult(options: Record<string, unknown>): BenchResult {
  const c = cpus()
  return {
    schema: 1,
    startedAt: new Date().toISOString(),
    machine: {
      cpus: c.length,
      node: process.version,
      ...(c[0] ? { cpuModel: c[0].model } : {}),
      totalMemBytes: totalmem(),
      platform: `${process.platform}-${process.arch}`,
    },
    options,
    runs: [],
  }
}

/** Aggregate CPU counters from /proc/stat (Linux), to compute steal time over an interval. */
export interface CpuSample {
  steal: number
  total: number
}

/** Reads /proc/stat; undefined where it does not exist. */
export function sampleCpu(): CpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
    const f = line.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest fields are already inside user/nice)
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0)
    return { steal: f[7] ?? 0, total }
  } catch {
    return undefined
  }
}

/** Steal time between two samples, in percent of all CPU time. */
export function stealPercent(a: CpuSample | undefined, b: CpuSample | undefined): number | undefined {
  if (!a || !b || b.total <= a.total) return undefined
  return (100 * (b.steal - a.steal)) / (b.total - a.total)
}
