import { VectorStoreError } from '@vectorkit/core'
import { LatencyWindow } from './latency-window'

/**
 * One shadow read: the same search answered by the primary and the secondary backend during a
 * migration. The facade's rollout mode reports each comparison with `monitored.recordShadow()`.
 *
 * @example
 * ```ts
 * monitored.recordShadow({ collection: 'docs', overlap: 0.9, primaryMs: 2.1, secondaryMs: 7.4 })
 * ```
 */
export interface ShadowComparison {
  collection: string
  /** overlap@k: shared ids over k (0–1). */
  overlap: number
  /** Latency of the primary (serving) backend, in milliseconds. */
  primaryMs: number
  /** Latency of the secondary (shadow) backend, in milliseconds. */
  secondaryMs: number
  /** The k of the search (informational). */
  k?: number
  /** Which side's answer the caller got (informational). */
  served?: 'primary' | 'secondary'
}

/**
 * Shadow-read statistics of one collection, as in `metrics().shadow`.
 *
 * @example
 * ```ts
 * const s = monitored.metrics().shadow.find((x) => x.collection === 'docs')
 * if (s && s.meanOverlap < 0.9) console.warn('secondary disagrees', s)
 * ```
 */
export interface ShadowSnapshot {
  collection: string
  comparisons: number
  /** Mean overlap@k since start (1 when there were none). */
  meanOverlap: number
  /** Lowest overlap@k seen since start. */
  minOverlap: number
  primaryMs: { p50: number; p95: number; p99: number }
  secondaryMs: { p50: number; p95: number; p99: number }
}

/** Per-collection shadow counters and latency windows. */
export class ShadowSeries {
  comparisons = 0
  overlapSum = 0
  minOverlap = 1
  readonly primary: LatencyWindow
  readonly secondary: LatencyWindow

  constructor(
    readonly collection: string,
    windowMs: number,
    now: number,
  ) {
    this.primary = new LatencyWindow(windowMs, now)
    this.secondary = new LatencyWindow(windowMs, now)
  }
}

function finiteNonNegative(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0
}

/** Records shadow comparisons (see {@link ShadowComparison}). */
export class ShadowRecorder {
  readonly series = new Map<string, ShadowSeries>()

  constructor(
    private readonly windowMs: number,
    private readonly clock: { now(): number },
    private readonly label: (collection: string) => string,
  ) {}

  record(c: ShadowComparison): void {
    if (c === null || typeof c !== 'object' || typeof c.collection !== 'string')
      throw new VectorStoreError('VALIDATION', 'recordShadow: collection must be a string')
    if (!finiteNonNegative(c.overlap) || c.overlap > 1)
      throw new VectorStoreError(
        'VALIDATION',
        `recordShadow: overlap must be a number from 0 to 1, got ${String(c.overlap)}`,
      )
    if (!finiteNonNegative(c.primaryMs) || !finiteNonNegative(c.secondaryMs))
      throw new VectorStoreError(
        'VALIDATION',
        'recordShadow: primaryMs and secondaryMs must be non-negative numbers',
      )
    const now = this.clock.now()
    const label = this.label(c.collection)
    let s = this.series.get(label)
    if (s === undefined) {
      s = new ShadowSeries(label, this.windowMs, now)
      this.series.set(label, s)
    }
    s.comparisons++
    s.overlapSum += c.overlap
    if (c.overlap < s.minOverlap) s.minOverlap = c.overlap
    s.primary.record(c.primaryMs, now)
    s.secondary.record(c.secondaryMs, now)
  }

  snapshot(): ShadowSnapshot[] {
    const now = this.clock.now()
    return [...this.series.values()].map((s) => {
      const p = s.primary.quantiles(now)
      const q = s.secondary.quantiles(now)
      return {
        collection: s.collection,
        comparisons: s.comparisons,
        meanOverlap: s.comparisons === 0 ? 1 : s.overlapSum / s.comparisons,
        minOverlap: s.minOverlap,
        primaryMs: { p50: p.p50, p95: p.p95, p99: p.p99 },
        secondaryMs: { p50: q.p50, p95: q.p95, p99: q.p99 },
      }
    })
  }
}
