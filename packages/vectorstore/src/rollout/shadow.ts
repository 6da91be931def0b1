/**
 * One shadow read: the same search sent to both backends, one served, both timed and compared.
 *
 * @example
 * ```ts
 * { collection: 'docs', k: 10, overlap: 0.9, primaryMs: 0.4, secondaryMs: 3.1, served: 'primary' }
 * ```
 */
export interface ShadowReadSample {
  collection: string
  k: number
  /** overlap@k of the secondary's hits against the primary's (the source of truth). */
  overlap: number
  primaryMs: number
  secondaryMs: number
  served: 'primary' | 'secondary'
}

/**
 * Where a rollout store reports shadow reads; the facade connects it to the monitor, so the
 * numbers appear in its metrics. Implement it to send them anywhere else.
 *
 * @example
 * ```ts
 * const recorder: ShadowRecorder = { recordShadowRead: (s) => log.info(s, 'shadow read') }
 * ```
 */
export interface ShadowRecorder {
  recordShadowRead(sample: ShadowReadSample): void
}

/**
 * Running totals of shadow reads, kept by every rollout store (see `RolloutStore.shadowStats`).
 *
 * @example
 * ```ts
 * const s = rollout.shadowStats()
 * console.log(`overlap@k ${s.meanOverlap.toFixed(3)} over ${s.reads} reads`)
 * ```
 */
export interface ShadowStats {
  /** Compared reads. */
  reads: number
  /** Shadow reads whose non-served side failed (not compared). */
  errors: number
  meanOverlap: number
  minOverlap: number
  meanPrimaryMs: number
  meanSecondaryMs: number
}

/**
 * Accumulates {@link ShadowStats}.
 *
 * @example
 * ```ts
 * const tally = new ShadowTally()
 * tally.add(sample)
 * tally.snapshot().meanOverlap
 * ```
 */
export class ShadowTally {
  private reads = 0
  private errors = 0
  private overlapSum = 0
  private minOverlap = 1
  private primaryMs = 0
  private secondaryMs = 0

  add(sample: ShadowReadSample): void {
    this.reads++
    this.overlapSum += sample.overlap
    this.minOverlap = Math.min(this.minOverlap, sample.overlap)
    this.primaryMs += sample.primaryMs
    this.secondaryMs += sample.secondaryMs
  }

  addError(): void {
    this.errors++
  }

  snapshot(): ShadowStats {
    const n = this.reads
    return {
      reads: n,
      errors: this.errors,
      meanOverlap: n ? this.overlapSum / n : 1,
      minOverlap: n ? this.minOverlap : 1,
      meanPrimaryMs: n ? this.primaryMs / n : 0,
      meanSecondaryMs: n ? this.secondaryMs / n : 0,
    }
  }
}
