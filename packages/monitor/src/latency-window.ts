import type { Histogram } from 'hdr-histogram-js'
import * as hdr from 'hdr-histogram-js'

/** Latencies are recorded in whole microseconds, from 1 µs to 1 h, to 2 significant digits. */
const HIGHEST_MICROS = 3_600_000_000

function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MICROS,
    numberOfSignificantValueDigits: 2,
    autoResize: false,
    bitBucketSize: 32,
    useWebAssembly: false,
  })
}

/**
 * Quantiles of a window, in milliseconds.
 *
 * @example
 * ```ts
 * const q: LatencyQuantiles = { count: 120, p50: 1.2, p95: 4.8, p99: 9.1, max: 12.3 }
 * ```
 */
export interface LatencyQuantiles {
  /** Observations in the window. */
  count: number
  p50: number
  p95: number
  p99: number
  max: number
}

const EMPTY: LatencyQuantiles = Object.freeze({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 })

let scratch: Histogram | undefined

/**
 * A sliding latency window made of two HDR histograms that take turns: `current` records,
 * `previous` holds the half before it. Quantiles merge both, so they cover the last half to
 * whole window. Rotation happens on the clock alone (no timers), so an idle series costs nothing.
 */
export class LatencyWindow {
  private current = newHistogram()
  private previous = newHistogram()
  private halfStart: number
  private readonly halfMs: number

  constructor(windowMs: number, now: number) {
    this.halfMs = Math.max(1, Math.floor(windowMs / 2))
    this.halfStart = now
  }

  /** Records one duration (milliseconds) observed at `now`. */
  record(ms: number, now: number): void {
    if (now - this.halfStart >= this.halfMs) this.rotate(now)
    let micros = Math.round(ms * 1000)
    if (micros < 1) micros = 1
    else if (micros > HIGHEST_MICROS) micros = HIGHEST_MICROS
    this.current.recordValue(micros)
  }

  private rotate(now: number): void {
    const swap = this.previous
    swap.reset()
    if (now - this.halfStart >= 2 * this.halfMs) this.current.reset()
    this.previous = this.current
    this.current = swap
    this.halfStart = now - ((now - this.halfStart) % this.halfMs)
  }

  /** p50/p95/p99/max over the window ending at `now`, in milliseconds. */
  quantiles(now: number): LatencyQuantiles {
    if (now - this.halfStart >= this.halfMs) this.rotate(now)
    const total = this.current.totalCount + this.previous.totalCount
    if (total === 0) return EMPTY
    scratch ??= newHistogram()
    scratch.reset()
    scratch.add(this.current)
    scratch.add(this.previous)
    return {
      count: total,
      p50: scratch.getValueAtPercentile(50) / 1000,
      p95: scratch.getValueAtPercentile(95) / 1000,
      p99: scratch.getValueAtPercentile(99) / 1000,
      max: scratch.maxValue / 1000,
    }
  }
}
