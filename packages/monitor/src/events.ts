import diagnostics from 'node:diagnostics_channel'
import { EventEmitter } from 'node:events'

/**
 * Channels of `node:diagnostics_channel` the monitor publishes on. Nothing is built or
 * published unless someone subscribes (`channel.hasSubscribers`), so an unobserved monitor pays
 * one property read per operation.
 *
 * | channel | message | when |
 * | --- | --- | --- |
 * | `vectorkit:operation` | {@link OperationEvent} | after every operation |
 * | `vectorkit:slow` | {@link OperationEvent} | after an operation at or above `slowOperationMs` |
 * | `vectorkit:alert` | `AlertEvent` | when a rule fires, changes level or resolves |
 *
 * @example
 * ```ts
 * import diagnostics from 'node:diagnostics_channel'
 * diagnostics.subscribe(MONITOR_CHANNELS.operation, (e) => console.log(e))
 * ```
 */
export const MONITOR_CHANNELS = {
  operation: 'vectorkit:operation',
  slow: 'vectorkit:slow',
  alert: 'vectorkit:alert',
} as const

/**
 * One finished operation, as published on `vectorkit:operation` and `vectorkit:slow` and
 * emitted as the `slow` event of `alerts`.
 *
 * @example
 * ```ts
 * const e: OperationEvent = { operation: 'search', collection: 'docs', durationMs: 3.2 }
 * ```
 */
export interface OperationEvent {
  operation: string
  /** The collection, `''` for store-wide operations, `*` when `perCollection` is off. */
  collection: string
  durationMs: number
  /** Error code when the operation failed (`UNKNOWN` for errors that are not `VectorStoreError`). */
  error?: string
}

export const operationChannel = diagnostics.channel(MONITOR_CHANNELS.operation)
export const slowChannel = diagnostics.channel(MONITOR_CHANNELS.slow)
export const alertChannel = diagnostics.channel(MONITOR_CHANNELS.alert)

/**
 * The rules the monitor evaluates (see `AlertRulesOptions`).
 *
 * @example
 * ```ts
 * monitored.alerts.on('alert', (e) => {
 *   const rule: AlertRuleName = e.rule // 'latency_p95' | 'error_rate' | ...
 * })
 * ```
 */
export type AlertRuleName = 'latency_p95' | 'error_rate' | 'pool_usage' | 'pool_waiting' | 'cache_hit_ratio'

/**
 * Severity of an alert. `warning` makes `health()` degraded, `critical` unhealthy.
 *
 * @example
 * ```ts
 * const pages = monitored.alerts.active().filter((a) => a.severity === ('critical' satisfies AlertSeverity))
 * ```
 */
export type AlertSeverity = 'warning' | 'critical'

/**
 * An alert that fires, changes level or resolves: the `alert` event of `monitored.alerts`.
 *
 * @example
 * ```ts
 * monitored.alerts.on('alert', (e: AlertEvent) => {
 *   if (e.state === 'firing') page(`${e.rule} ${e.target}: ${e.value} > ${e.threshold}`)
 * })
 * ```
 */
export interface AlertEvent {
  rule: AlertRuleName
  /** What the rule looked at: `search:docs` (operation:collection), `all`, a health check name, `cache`. */
  target: string
  /** `firing` when entering or changing level, `resolved` when back to normal. */
  state: 'firing' | 'resolved'
  /** The level now firing, or the level that resolved. */
  severity: AlertSeverity
  /** The level before this event. */
  previous: AlertSeverity | 'ok'
  /** The value at this evaluation (`undefined` when there was not enough data). */
  value: number | undefined
  /** The threshold of `severity`. */
  threshold: number
  /** Clock time of the evaluation, in milliseconds. */
  at: number
  message: string
}

/**
 * An alert currently firing, as listed by `alerts.active()`.
 *
 * @example
 * ```ts
 * for (const a of monitored.alerts.active()) console.log(a.rule, a.target, a.severity)
 * ```
 */
export interface ActiveAlert {
  rule: AlertRuleName
  target: string
  severity: AlertSeverity
  value: number | undefined
  threshold: number
  /** Clock time it entered its current level. */
  since: number
}

/**
 * Typed emitter of alert and slow-operation events. Events: `alert` ({@link AlertEvent}) and
 * `slow` ({@link OperationEvent}). Adding the first `alert` listener starts periodic rule
 * evaluation (`evaluateEveryMs`).
 *
 * @example
 * ```ts
 * monitored.alerts.on('alert', (e) => logger.error(e, e.message))
 * monitored.alerts.on('slow', (e) => logger.warn(e, 'slow vector operation'))
 * ```
 */
export class AlertEmitter extends EventEmitter {
  private activeAlerts: () => ActiveAlert[] = () => []

  /** Alerts currently firing. */
  active(): ActiveAlert[] {
    return this.activeAlerts()
  }

  /** @internal wired by the monitor. */
  bindActive(fn: () => ActiveAlert[]): void {
    this.activeAlerts = fn
  }

  override on(event: 'alert', listener: (e: AlertEvent) => void): this
  override on(event: 'slow', listener: (e: OperationEvent) => void): this
  override on(event: string | symbol, listener: (...args: never[]) => void): this
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void)
  }

  override once(event: 'alert', listener: (e: AlertEvent) => void): this
  override once(event: 'slow', listener: (e: OperationEvent) => void): this
  override once(event: string | symbol, listener: (...args: never[]) => void): this
  override once(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.once(event, listener as (...args: unknown[]) => void)
  }

  override off(event: 'alert', listener: (e: AlertEvent) => void): this
  override off(event: 'slow', listener: (e: OperationEvent) => void): this
  override off(event: string | symbol, listener: (...args: never[]) => void): this
  override off(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void)
  }

  /** @internal */
  emitAlert(e: AlertEvent): void {
    this.emit('alert', e)
  }

  /** @internal only builds nothing when nobody listens. */
  emitSlow(e: OperationEvent): void {
    if (this.listenerCount('slow') > 0) this.emit('slow', e)
  }
}
