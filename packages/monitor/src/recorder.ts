import { isVectorStoreError } from '@vectorkit/core'
import type { AlertEmitter, OperationEvent } from './events'
import { operationChannel, slowChannel } from './events'
import { LatencyWindow } from './latency-window'
import type { ResolvedMonitorOptions } from './options'

/** Operations of a collection, in the order of their slots in {@link Recorder.slots}. */
export const COLLECTION_OPERATIONS = ['search', 'upsert', 'get', 'delete', 'count', 'scan', 'stats'] as const
/** Operations of a store. */
export const STORE_OPERATIONS = [
  'createCollection',
  'collection',
  'listCollections',
  'dropCollection',
  'health',
] as const

/**
 * Name of a measured operation (the `operation` label).
 *
 * @example
 * ```ts
 * const op: OperationName = 'search'
 * ```
 */
export type OperationName = (typeof COLLECTION_OPERATIONS)[number] | (typeof STORE_OPERATIONS)[number]

/** Counters and latency window of one operation on one collection. */
export class OpSeries {
  count = 0
  errors = 0
  totalMs = 0
  readonly errorsByCode = new Map<string, number>()
  readonly window: LatencyWindow

  constructor(
    readonly operation: string,
    readonly collection: string,
    windowMs: number,
    now: number,
  ) {
    this.window = new LatencyWindow(windowMs, now)
  }
}

/** Slot index of each collection operation. */
export const SLOT = {
  search: 0,
  upsert: 1,
  get: 2,
  delete: 3,
  count: 4,
  scan: 5,
  stats: 6,
} as const

/**
 * Owns every series and records into them. The hot path (`done`) touches only the series
 * object it is handed: no label lookup, no prom-client call; Prometheus reads the series at
 * scrape time.
 */
export class Recorder {
  readonly series = new Map<string, OpSeries>()
  private readonly slotsByCollection = new Map<string, (OpSeries | undefined)[]>()
  private readonly clock: { now(): number }
  private readonly slowMs: number

  constructor(
    private readonly options: ResolvedMonitorOptions,
    private readonly alerts: AlertEmitter,
  ) {
    this.clock = options.clock
    this.slowMs = options.slowOperationMs
  }

  label(collection: string): string {
    return this.options.perCollection || collection === '' ? collection : '*'
  }

  /** The series of one operation and collection, created on first use. */
  get(operation: string, collection: string): OpSeries {
    const label = this.label(collection)
    const key = `${operation}\u0000${label}`
    let s = this.series.get(key)
    if (s === undefined) {
      s = new OpSeries(operation, label, this.options.windowMs, this.clock.now())
      this.series.set(key, s)
    }
    return s
  }

  /** The per-operation slots a collection wrapper keeps, shared by every wrapper of that name. */
  slots(collection: string): (OpSeries | undefined)[] {
    let slots = this.slotsByCollection.get(collection)
    if (slots === undefined) {
      slots = new Array(COLLECTION_OPERATIONS.length).fill(undefined)
      this.slotsByCollection.set(collection, slots)
    }
    return slots
  }

  now(): number {
    return this.clock.now()
  }

  done(s: OpSeries, t0: number): void {
    const now = this.clock.now()
    const ms = now - t0
    s.count++
    s.totalMs += ms
    s.window.record(ms, now)
    if (this.slowMs > 0 && ms >= this.slowMs) this.slow(s, ms, undefined)
    if (operationChannel.hasSubscribers) operationChannel.publish(this.event(s, ms, undefined))
  }

  failed(s: OpSeries, t0: number, err: unknown): void {
    const now = this.clock.now()
    const ms = now - t0
    const code = isVectorStoreError(err) ? err.code : 'UNKNOWN'
    s.count++
    s.errors++
    s.totalMs += ms
    s.errorsByCode.set(code, (s.errorsByCode.get(code) ?? 0) + 1)
    s.window.record(ms, now)
    if (this.slowMs > 0 && ms >= this.slowMs) this.slow(s, ms, code)
    if (operationChannel.hasSubscribers) operationChannel.publish(this.event(s, ms, code))
  }

  private event(s: OpSeries, ms: number, error: string | undefined): OperationEvent {
    const e: OperationEvent = { operation: s.operation, collection: s.collection, durationMs: ms }
    if (error !== undefined) e.error = error
    return e
  }

  private slow(s: OpSeries, ms: number, error: string | undefined): void {
    const e = this.event(s, ms, error)
    const where = s.collection === '' ? '' : ` on ${s.collection}`
    try {
      this.options.logger?.warn(
        { ...e, thresholdMs: this.slowMs },
        `vectorkit: slow ${s.operation}${where} took ${Math.round(ms)} ms`,
      )
      if (slowChannel.hasSubscribers) slowChannel.publish(e)
      this.alerts.emitSlow(e)
    } catch (err) {
      // The caller's operation already settled and must keep its own result; a failing logger
      // or listener is reported as a process warning rather than failing or crashing the app.
      process.emitWarning(err instanceof Error ? err : String(err), { code: 'VECTORKIT_OBSERVER_FAILED' })
    }
  }
}
