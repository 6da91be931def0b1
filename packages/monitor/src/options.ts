import { VectorStoreError } from '@vectorkit/core'
import { Registry } from 'prom-client'
import type { AlertRulesOptions, ResolvedAlertRules } from './alert-rules'
import { resolveAlertRules } from './alert-rules'

/**
 * A source of time in milliseconds (high resolution preferred). Inject one so latency, window
 * and alert tests need no sleeps.
 *
 * @example
 * ```ts
 * let t = 0
 * const clock: Clock = { now: () => t }
 * ```
 */
export interface Clock {
  now(): number
}

/**
 * The pino-compatible subset the monitor logs slow operations with: `warn(object, message)`.
 *
 * @example
 * ```ts
 * import pino from 'pino'
 * withMonitor(store, { logger: pino() })
 * withMonitor(store, { logger: { warn: (obj, msg) => console.warn(msg, obj) } })
 * ```
 */
export interface MonitorLogger {
  warn(obj: Record<string, unknown>, msg: string): void
}

/**
 * Options of {@link withMonitor}. Every option is documented here once; the README and
 * `docs/monitoring.md` link here.
 *
 * @example
 * ```ts
 * const store = withMonitor(withCache(await MemoryStore.open()), {
 *   registry, logger, slowOperationMs: 250, alerts: { latencyP95Ms: { warning: 200 } },
 * })
 * ```
 */
export interface MonitorOptions {
  /**
   * The prom-client registry the metrics are registered on. Default: a new `Registry`, so two
   * monitored stores never clash; pass `register` from prom-client to share the global one.
   *
   * @example
   * ```ts
   * import { register } from 'prom-client'
   * withMonitor(store, { registry: register })
   * ```
   */
  registry?: Registry
  /**
   * Prefix of every metric name. Default `vectorkit_`. Two monitors on one registry need
   * different prefixes.
   *
   * @example
   * ```ts
   * withMonitor(store, { prefix: 'search_' })
   * ```
   */
  prefix?: string
  /**
   * Label every series with its collection name (default `true`). Turn off when collection
   * names are unbounded (one per user, say): the label is then `*`.
   *
   * @example
   * ```ts
   * withMonitor(store, { perCollection: false })
   * ```
   */
  perCollection?: boolean
  /**
   * Length of the latency window behind p50/p95/p99 and the p95 alert, in milliseconds.
   * Integer ≥ 2. Default `60_000`: quantiles cover the last 30–60 s (two rotating halves).
   *
   * @example
   * ```ts
   * withMonitor(store, { windowMs: 120_000 })
   * ```
   */
  windowMs?: number
  /**
   * Operations taking at least this many milliseconds are logged through `logger` and
   * published on the slow-operation channel. Default `1000`; `0` turns it off.
   *
   * @example
   * ```ts
   * withMonitor(store, { slowOperationMs: 250, logger })
   * ```
   */
  slowOperationMs?: number
  /**
   * Where slow operations are logged (`warn(obj, msg)`, pino-compatible). Default: none.
   *
   * @example
   * ```ts
   * withMonitor(store, { logger: pino({ level: 'warn' }) })
   * ```
   */
  logger?: MonitorLogger
  /**
   * Alert rules, thresholds and hysteresis. See {@link AlertRulesOptions} for every rule and
   * its default; `false` turns all rules off.
   *
   * @example
   * ```ts
   * withMonitor(store, { alerts: { errorRate: false, consecutive: 5 } })
   * ```
   */
  alerts?: AlertRulesOptions | false
  /**
   * How often rules are evaluated, in milliseconds, once someone listens to `alerts` or
   * metrics are served. Default `15_000`; `0` means only when you call `evaluateAlerts()`.
   *
   * @example
   * ```ts
   * withMonitor(store, { evaluateEveryMs: 0 }) // tests drive evaluation themselves
   * ```
   */
  evaluateEveryMs?: number
  /**
   * Collection statistics (vectors, bytes, index facts) are re-read at most this often, in
   * milliseconds, and only when metrics are scraped. Default `10_000`.
   *
   * @example
   * ```ts
   * withMonitor(store, { statsEveryMs: 60_000 })
   * ```
   */
  statsEveryMs?: number
  /**
   * `health()` reports the wrapped store unhealthy when its own health check takes longer than
   * this many milliseconds. Default `5_000`.
   *
   * @example
   * ```ts
   * withMonitor(store, { healthTimeoutMs: 2_000 })
   * ```
   */
  healthTimeoutMs?: number
  /**
   * Clock for latencies, windows and alert timestamps. Default `performance`.
   *
   * @example
   * ```ts
   * let t = 0
   * withMonitor(store, { clock: { now: () => t } })
   * ```
   */
  clock?: Clock
}

/** Options after validation, defaults filled in. */
export interface ResolvedMonitorOptions {
  registry: Registry
  prefix: string
  perCollection: boolean
  windowMs: number
  slowOperationMs: number
  logger: MonitorLogger | undefined
  alerts: ResolvedAlertRules
  evaluateEveryMs: number
  statsEveryMs: number
  healthTimeoutMs: number
  clock: Clock
}

function fail(message: string): never {
  throw new VectorStoreError('VALIDATION', `withMonitor: ${message}`)
}

function describe(v: unknown): string {
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? 'null' : typeof v
}

function intAtLeast(v: unknown, min: number, name: string, fallback: number): number {
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min)
    fail(`${name} must be an integer ≥ ${min}, got ${describe(v)}`)
  return v
}

/**
 * Validates {@link MonitorOptions} and fills in defaults. Fails fast with exact messages, e.g.
 * `withMonitor: windowMs must be an integer ≥ 2, got 1`.
 */
export function resolveMonitorOptions(options: MonitorOptions | undefined): ResolvedMonitorOptions {
  const o = options ?? {}
  if (o === null || typeof o !== 'object') fail(`options must be an object, got ${describe(o)}`)
  // Duck-typed: the app may hold another copy of prom-client.
  if (
    o.registry !== undefined &&
    (o.registry === null ||
      typeof o.registry.registerMetric !== 'function' ||
      typeof o.registry.metrics !== 'function')
  )
    fail('registry must be a prom-client Registry')
  const prefix = o.prefix ?? 'vectorkit_'
  if (typeof prefix !== 'string' || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(prefix))
    fail(`prefix must match [a-zA-Z_:][a-zA-Z0-9_:]*, got ${JSON.stringify(prefix)}`)
  if (o.perCollection !== undefined && typeof o.perCollection !== 'boolean')
    fail(`perCollection must be a boolean, got ${describe(o.perCollection)}`)
  if (o.logger !== undefined && (o.logger === null || typeof o.logger.warn !== 'function'))
    fail('logger must have a warn(obj, msg) method')
  if (o.clock !== undefined && (o.clock === null || typeof o.clock.now !== 'function'))
    fail('clock must be an object with a now() method')
  return {
    registry: o.registry ?? new Registry(),
    prefix,
    perCollection: o.perCollection ?? true,
    windowMs: intAtLeast(o.windowMs, 2, 'windowMs', 60_000),
    slowOperationMs: intAtLeast(o.slowOperationMs, 0, 'slowOperationMs', 1000),
    logger: o.logger,
    alerts: resolveAlertRules(o.alerts, fail),
    evaluateEveryMs: intAtLeast(o.evaluateEveryMs, 0, 'evaluateEveryMs', 15_000),
    statsEveryMs: intAtLeast(o.statsEveryMs, 0, 'statsEveryMs', 10_000),
    healthTimeoutMs: intAtLeast(o.healthTimeoutMs, 1, 'healthTimeoutMs', 5_000),
    clock: o.clock ?? performance,
  }
}
