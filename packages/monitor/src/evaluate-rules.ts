import type { AlertEngine } from './alert-engine'
import type { ActiveAlert } from './events'
import type { ResolvedMonitorOptions } from './options'
import type { PoolFacts } from './pool-facts'
import { poolUsage } from './pool-facts'
import type { CacheStatsLike } from './prometheus'
import type { Recorder } from './recorder'

/** What one evaluation reads; the monitored store provides it. */
export interface RuleInputs {
  readonly options: ResolvedMonitorOptions
  readonly recorder: Recorder
  readonly engine: AlertEngine
  readonly cacheStats: (() => CacheStatsLike) | undefined
  /** Runs the wrapped store's health check and returns the pool facts it carried. */
  checkInner(): Promise<unknown>
  readonly poolsAfterCheck: () => PoolFacts[]
}

interface Previous {
  operations: number
  errors: number
  hits: number
  misses: number
}

const previousByInputs = new WeakMap<object, Previous>()

/**
 * Evaluates every enabled rule once. Rates (errors, cache hit ratio) are computed over the
 * interval since the previous evaluation; latency uses the sliding window; pool rules read the
 * wrapped store's health details, fetched only when a pool rule is on.
 */
export async function evaluateRules(inputs: RuleInputs): Promise<ActiveAlert[]> {
  const { options, recorder, engine } = inputs
  const rules = options.alerts
  const now = options.clock.now()

  if (rules.latencyP95Ms) {
    for (const s of recorder.series.values()) {
      const q = s.window.quantiles(now)
      const value = q.count >= rules.latencyP95Ms.minSamples ? q.p95 : undefined
      engine.observe('latency_p95', `${s.operation}:${s.collection}`, value, rules.latencyP95Ms, false, now)
    }
  }

  const prev = previousByInputs.get(inputs) ?? { operations: 0, errors: 0, hits: 0, misses: 0 }
  const next: Previous = { ...prev }
  if (rules.errorRate) {
    let operations = 0
    let errors = 0
    for (const s of recorder.series.values()) {
      operations += s.count
      for (const [code, n] of s.errorsByCode) if (rules.errorRate.codes.has(code)) errors += n
    }
    const dOps = operations - prev.operations
    const value = dOps >= rules.errorRate.minOperations ? (errors - prev.errors) / dOps : undefined
    engine.observe('error_rate', 'all', value, rules.errorRate, false, now)
    next.operations = operations
    next.errors = errors
  }

  if (rules.cacheHitRatio && inputs.cacheStats) {
    const { hits, misses } = inputs.cacheStats()
    const lookups = hits - prev.hits + (misses - prev.misses)
    const value = lookups >= rules.cacheHitRatio.minLookups ? (hits - prev.hits) / lookups : undefined
    engine.observe('cache_hit_ratio', 'cache', value, rules.cacheHitRatio, true, now)
    next.hits = hits
    next.misses = misses
  }
  previousByInputs.set(inputs, next)

  if (rules.poolUsage || rules.poolWaiting) {
    await inputs.checkInner()
    for (const pool of inputs.poolsAfterCheck()) {
      if (rules.poolUsage)
        engine.observe('pool_usage', pool.name, poolUsage(pool), rules.poolUsage, false, now)
      if (rules.poolWaiting)
        engine.observe('pool_waiting', pool.name, pool.waiting, rules.poolWaiting, false, now)
    }
  }
  return engine.active()
}
