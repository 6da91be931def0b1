import diagnostics from 'node:diagnostics_channel'

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
