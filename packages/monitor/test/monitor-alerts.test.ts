import { withCache } from '@vectorkit/cache'
import { describe, expect, it } from 'vitest'
import type { AlertEvent, AlertRulesOptions } from '../src/index'
import { createNoopStore, withMonitor } from '../src/index'
import { ClockedStore, FakeClock } from './clocked-store'

async function setup(alerts: AlertRulesOptions) {
  const clock = new FakeClock()
  const backend = new ClockedStore(clock)
  const store = withMonitor(backend, { clock, evaluateEveryMs: 0, windowMs: 200_000, alerts })
  const events: AlertEvent[] = []
  store.alerts.on('alert', (e) => events.push(e))
  const docs = await store.collection('docs')
  /** One evaluation period: `n` searches of `ms` each, then the clock moves past the window. */
  const period = async (ms: number, n = 25) => {
    backend.latencyMs = ms
    for (let i = 0; i < n; i++) await docs.search([0, 0, 0])
    const active = await store.evaluateAlerts()
    clock.t += 400_000 // past the whole window: the next period starts empty
    return active
  }
  return { clock, backend, store, docs, events, period }
}

describe('p95 latency rule with hysteresis', () => {
  it('fires only after 3 consecutive breaching evaluations, with the default 500 ms warning', async () => {
    const { events, period, store } = await setup({ errorRate: false, poolUsage: false, poolWaiting: false })
    await period(600)
    await period(600)
    expect(events).toEqual([])
    await period(10) // a good evaluation resets the streak
    await period(600)
    await period(600)
    expect(events).toEqual([])
    const active = await period(600)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      rule: 'latency_p95',
      target: 'search:docs',
      state: 'firing',
      severity: 'warning',
      previous: 'ok',
      threshold: 500,
    })
    expect(active).toMatchObject([{ rule: 'latency_p95', severity: 'warning' }])
    expect(store.alerts.active()).toHaveLength(1)
  })

  it('does not clear while the value hovers just under the threshold (clear margin), then resolves', async () => {
    const { events, period } = await setup({ errorRate: false, poolUsage: false, poolWaiting: false })
    for (let i = 0; i < 3; i++) await period(600)
    expect(events.map((e) => e.state)).toEqual(['firing'])
    for (let i = 0; i < 5; i++) await period(480) // under 500 but above 450: not cleared
    expect(events.map((e) => e.state)).toEqual(['firing'])
    await period(100)
    await period(100)
    expect(events).toHaveLength(1)
    await period(100)
    expect(events.map((e) => e.state)).toEqual(['firing', 'resolved'])
    expect(events[1]).toMatchObject({ severity: 'warning', previous: 'warning' })
  })

  it('escalates to critical and steps back down', async () => {
    const { events, period } = await setup({
      latencyP95Ms: { warning: 100, critical: 1000 },
      consecutive: 2,
      errorRate: false,
      poolUsage: false,
      poolWaiting: false,
    })
    for (let i = 0; i < 2; i++) await period(2000)
    for (let i = 0; i < 2; i++) await period(300)
    expect(events.map((e) => `${e.state}:${e.severity}:${e.previous}`)).toEqual([
      'firing:critical:ok',
      'firing:warning:critical',
    ])
  })

  it('ignores series with too few samples (counts as clear)', async () => {
    const { events, period } = await setup({
      consecutive: 1,
      errorRate: false,
      poolUsage: false,
      poolWaiting: false,
    })
    await period(900, 5)
    expect(events).toEqual([])
  })
})

describe('error rate, pool and cache rules', () => {
  it('counts only server-side error codes over the interval', async () => {
    const { backend, docs, events, store } = await setup({
      consecutive: 1,
      latencyP95Ms: false,
      poolUsage: false,
      poolWaiting: false,
    })
    backend.failWith = 'VALIDATION'
    for (let i = 0; i < 30; i++) await docs.search([0]).catch(() => undefined)
    await store.evaluateAlerts()
    expect(events).toEqual([])
    backend.failWith = 'CONNECTION'
    for (let i = 0; i < 3; i++) await docs.search([0]).catch(() => undefined)
    backend.failWith = undefined
    for (let i = 0; i < 27; i++) await docs.search([0])
    await store.evaluateAlerts()
    expect(events).toMatchObject([{ rule: 'error_rate', target: 'all', severity: 'critical', value: 0.1 }])
  })

  it('reads pool usage and waiting clients from the wrapped store health (usage > 90% is critical)', async () => {
    const { backend, events, store } = await setup({ latencyP95Ms: false, errorRate: false })
    backend.healthReport = {
      status: 'healthy',
      backend: 'clocked',
      checks: [
        { name: 'pool', status: 'healthy', details: { pool: { total: 10, idle: 0, waiting: 4, max: 10 } } },
      ],
    }
    for (let i = 0; i < 3; i++) await store.evaluateAlerts()
    expect(events.map((e) => `${e.rule}:${e.severity}`).sort()).toEqual([
      'pool_usage:critical',
      'pool_waiting:warning',
    ])
    const health = await store.health()
    expect(health.status).toBe('unhealthy')
    expect(health.checks.map((c) => c.name)).toContain('alert:pool_usage:pool')
    expect(store.metrics().pools).toEqual([{ name: 'pool', total: 10, idle: 0, waiting: 4, max: 10 }])
    backend.healthReport = {
      status: 'healthy',
      backend: 'clocked',
      checks: [
        {
          name: 'pool',
          status: 'healthy',
          details: { totalCount: 2, idleCount: 1, waitingCount: 0, max: 10 },
        },
      ],
    }
    for (let i = 0; i < 3; i++) await store.evaluateAlerts()
    expect(store.alerts.active()).toEqual([])
    expect((await store.health()).status).toBe('healthy')
  })

  it('fires when the cache hit ratio stays below the threshold', async () => {
    const clock = new FakeClock()
    const store = withMonitor(withCache(createNoopStore()), {
      clock,
      evaluateEveryMs: 0,
      alerts: { cacheHitRatio: { warning: 0.5, minLookups: 10 }, consecutive: 2 },
    })
    const events: AlertEvent[] = []
    store.alerts.on('alert', (e) => events.push(e))
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    let q = 0
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20; i++) await docs.search([q++, 1, 1])
      await store.evaluateAlerts()
    }
    expect(events).toMatchObject([
      { rule: 'cache_hit_ratio', target: 'cache', severity: 'warning', value: 0 },
    ])
  })
})
