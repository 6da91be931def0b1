import type { ErrorCode } from '@vectorkit/core'

/**
 * Levels of a rule. A rule fires `warning` past `warning` and `critical` past `critical`
 * ("past" means above, or below for {@link AlertRulesOptions.cacheHitRatio}). Either may be
 * left out.
 *
 * @example
 * ```ts
 * const t: Thresholds = { warning: 500, critical: 2000 }
 * ```
 */
export interface Thresholds {
  warning?: number
  critical?: number
}

/**
 * The alert rules of {@link MonitorOptions.alerts}. Each rule is on by default with the
 * values below; `false` turns a rule off. Hysteresis: a rule changes level only after
 * `consecutive` evaluations in a row agree, and leaves a level only once the value is back
 * past the threshold by `clearMargin` (a fraction of the threshold). An evaluation without
 * enough data counts as clear.
 *
 * @example
 * ```ts
 * withMonitor(store, {
 *   alerts: { latencyP95Ms: { warning: 200, critical: 1000 }, cacheHitRatio: false, consecutive: 2 },
 * })
 * ```
 */
export interface AlertRulesOptions {
  /**
   * p95 latency of each operation and collection over the window, in milliseconds. Default
   * `{ warning: 500, minSamples: 20 }`.
   *
   * @example
   * ```ts
   * { latencyP95Ms: { warning: 250, critical: 1000 } }
   * ```
   */
  latencyP95Ms?: (Thresholds & { minSamples?: number }) | false
  /**
   * Share of operations failing with one of `codes` since the previous evaluation. Default
   * `{ warning: 0.01, critical: 0.05, minOperations: 20, codes: SERVER_ERROR_CODES }` (caller
   * mistakes like `VALIDATION` or `NOT_FOUND` are not counted).
   *
   * @example
   * ```ts
   * { errorRate: { critical: 0.1, codes: ['CONNECTION', 'TIMEOUT'] } }
   * ```
   */
  errorRate?: (Thresholds & { minOperations?: number; codes?: readonly (ErrorCode | 'UNKNOWN')[] }) | false
  /**
   * Connections in use over the pool's maximum, from the wrapped store's health details.
   * Default `{ warning: 0.75, critical: 0.9 }`.
   *
   * @example
   * ```ts
   * { poolUsage: { critical: 0.95 } }
   * ```
   */
  poolUsage?: Thresholds | false
  /**
   * Clients waiting for a pool connection, from the wrapped store's health details. Default
   * `{ warning: 0 }` (more than zero waiting, `consecutive` evaluations in a row).
   *
   * @example
   * ```ts
   * { poolWaiting: { warning: 5, critical: 20 } }
   * ```
   */
  poolWaiting?: Thresholds | false
  /**
   * Cache hit ratio since the previous evaluation, when the monitor wraps a cache; fires when
   * the ratio is *below* the thresholds. Default `{ warning: 0.5, minLookups: 100 }`.
   *
   * @example
   * ```ts
   * { cacheHitRatio: { warning: 0.3, minLookups: 1000 } }
   * ```
   */
  cacheHitRatio?: (Thresholds & { minLookups?: number }) | false
  /** Evaluations in a row needed to change level (fire, escalate or clear). Default `3`. */
  consecutive?: number
  /** Fraction of the threshold the value must recede past before a level clears. Default `0.1`. */
  clearMargin?: number
}

/** Rules after validation; `undefined` = off. */
export interface ResolvedAlertRules {
  latencyP95Ms: (Thresholds & { minSamples: number }) | undefined
  errorRate: (Thresholds & { minOperations: number; codes: ReadonlySet<string> }) | undefined
  poolUsage: Thresholds | undefined
  poolWaiting: Thresholds | undefined
  cacheHitRatio: (Thresholds & { minLookups: number }) | undefined
  consecutive: number
  clearMargin: number
}

/**
 * Error codes the error-rate rule counts by default: the ones that are not the caller's fault.
 * `UNKNOWN` stands for errors that are not a `VectorStoreError`.
 *
 * @example
 * ```ts
 * withMonitor(store, { alerts: { errorRate: { codes: [...SERVER_ERROR_CODES, 'CONFLICT'] } } })
 * ```
 */
export const SERVER_ERROR_CODES: readonly (ErrorCode | 'UNKNOWN')[] = [
  'CONNECTION',
  'TIMEOUT',
  'CORRUPT_DATA',
  'RESOURCE_EXHAUSTED',
  'INTERNAL',
  'UNKNOWN',
]

type Fail = (message: string) => never

function thresholds(v: unknown, name: string, fallback: Thresholds, fail: Fail): Thresholds | undefined {
  if (v === false) return undefined
  if (v === undefined) return { ...fallback }
  if (v === null || typeof v !== 'object') fail(`alerts.${name} must be an object or false`)
  const t = v as Thresholds
  for (const level of ['warning', 'critical'] as const) {
    const x = t[level]
    if (x !== undefined && (typeof x !== 'number' || !Number.isFinite(x) || x < 0))
      fail(`alerts.${name}.${level} must be a non-negative number, got ${String(x)}`)
  }
  // Given thresholds replace the defaults as a pair, so `{ critical: 2 }` means no warning level.
  return t.warning === undefined && t.critical === undefined
    ? { ...fallback }
    : { warning: t.warning, critical: t.critical }
}

function count(v: unknown, name: string, fallback: number, fail: Fail): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    fail(`alerts.${name} must be a positive integer, got ${String(v)}`)
  return v
}

/** Validates {@link AlertRulesOptions} and fills in defaults. */
export function resolveAlertRules(
  options: AlertRulesOptions | false | undefined,
  fail: Fail,
): ResolvedAlertRules {
  if (options === false)
    return {
      latencyP95Ms: undefined,
      errorRate: undefined,
      poolUsage: undefined,
      poolWaiting: undefined,
      cacheHitRatio: undefined,
      consecutive: 3,
      clearMargin: 0.1,
    }
  const o = options ?? {}
  if (o === null || typeof o !== 'object') fail('alerts must be an object or false')
  const latency = thresholds(o.latencyP95Ms, 'latencyP95Ms', { warning: 500 }, fail)
  const errors = thresholds(o.errorRate, 'errorRate', { warning: 0.01, critical: 0.05 }, fail)
  const hit = thresholds(o.cacheHitRatio, 'cacheHitRatio', { warning: 0.5 }, fail)
  const codes = o.errorRate ? o.errorRate.codes : undefined
  if (codes !== undefined && !Array.isArray(codes))
    fail('alerts.errorRate.codes must be an array of error codes')
  const clearMargin = o.clearMargin ?? 0.1
  if (typeof clearMargin !== 'number' || !(clearMargin >= 0 && clearMargin < 1))
    fail(`alerts.clearMargin must be a number from 0 to below 1, got ${String(clearMargin)}`)
  return {
    latencyP95Ms: latency && {
      ...latency,
      minSamples: count(
        o.latencyP95Ms ? o.latencyP95Ms.minSamples : undefined,
        'latencyP95Ms.minSamples',
        20,
        fail,
      ),
    },
    errorRate: errors && {
      ...errors,
      minOperations: count(
        o.errorRate ? o.errorRate.minOperations : undefined,
        'errorRate.minOperations',
        20,
        fail,
      ),
      codes: new Set(codes ?? SERVER_ERROR_CODES),
    },
    poolUsage: thresholds(o.poolUsage, 'poolUsage', { warning: 0.75, critical: 0.9 }, fail),
    poolWaiting: thresholds(o.poolWaiting, 'poolWaiting', { warning: 0 }, fail),
    cacheHitRatio: hit && {
      ...hit,
      minLookups: count(
        o.cacheHitRatio ? o.cacheHitRatio.minLookups : undefined,
        'cacheHitRatio.minLookups',
        100,
        fail,
      ),
    },
    consecutive: count(o.consecutive, 'consecutive', 3, fail),
    clearMargin,
  }
}
