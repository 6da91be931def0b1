import { afterEach, describe, expect, it } from 'vitest'
import type { MetricsServer, OperationEvent } from '../src/index'
import { serveMetrics, withMonitor } from '../src/index'
import { ClockedStore, FakeClock } from './clocked-store'

const servers: MetricsServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

function setup(opts: Parameters<typeof withMonitor>[1] = {}) {
  const clock = new FakeClock()
  const backend = new ClockedStore(clock)
  const store = withMonitor(backend, { clock, evaluateEveryMs: 0, ...opts })
  return { clock, backend, store }
}

describe('/health and /metrics over HTTP', () => {
  it('answers 200 when healthy or degraded and 503 when unhealthy', async () => {
    const { backend, store } = setup()
    const server = await store.serveMetrics({ port: 0 })
    servers.push(server)
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const statusOf = async () => {
      const res = await fetch(`${server.url}/health`)
      const body = (await res.json()) as { status: string; checks: { name: string; latencyMs?: number }[] }
      return { code: res.status, body }
    }
    let r = await statusOf()
    expect(r.code).toBe(200)
    expect(r.body.status).toBe('healthy')
    expect(r.body.checks[0]).toMatchObject({ name: 'store', latencyMs: 0 })
    backend.healthReport = {
      status: 'degraded',
      backend: 'clocked',
      checks: [{ name: 'replica', status: 'degraded' }],
    }
    r = await statusOf()
    expect([r.code, r.body.status]).toEqual([200, 'degraded'])
    backend.healthReport = {
      status: 'unhealthy',
      backend: 'clocked',
      checks: [{ name: 'db', status: 'unhealthy' }],
    }
    r = await statusOf()
    expect([r.code, r.body.status]).toEqual([503, 'unhealthy'])
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
    expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405)
  })

  it('serves the registry as Prometheus text, also through the standalone serveMetrics', async () => {
    const { store } = setup()
    await (await store.collection('docs')).search([0, 0, 0])
    const server = await serveMetrics(store, { host: '127.0.0.1', port: 0 })
    servers.push(server)
    const res = await fetch(`${server.url}/metrics`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(text).toContain('# TYPE vectorkit_operations_total counter')
    expect(text).toMatch(/^vectorkit_operations_total\{operation="search",collection="docs"\} 1$/m)
  })

  it('reports a throwing or hanging backend health as unhealthy, with the cause', async () => {
    const { backend, store } = setup({ healthTimeoutMs: 20 })
    backend.health = async () => {
      throw new Error('socket hang up')
    }
    let h = await store.health()
    expect(h.status).toBe('unhealthy')
    expect(h.checks.find((c) => c.name === 'backend')?.message).toBe('socket hang up')
    backend.health = () => new Promise(() => undefined)
    h = await store.health()
    expect(h.status).toBe('unhealthy')
    expect(h.checks.find((c) => c.name === 'backend')).toMatchObject({ details: { code: 'TIMEOUT' } })
    expect(store.metrics().operations.find((o) => o.operation === 'health')?.errors).toBe(2)
  })

  it('rejects a port it cannot use', async () => {
    const { store } = setup()
    await expect(store.serveMetrics({ port: 70_000 })).rejects.toMatchObject({ code: 'VALIDATION' })
    const first = await store.serveMetrics({ port: 0 })
    servers.push(first)
    await expect(serveMetrics(store, { port: first.port })).rejects.toMatchObject({ code: 'CONNECTION' })
  })
})

describe('slow operations', () => {
  it('go to the pino-compatible logger and the slow event, at or above slowOperationMs', async () => {
    const logged: { obj: Record<string, unknown>; msg: string }[] = []
    const { backend, store } = setup({
      slowOperationMs: 100,
      logger: { warn: (obj, msg) => logged.push({ obj, msg }) },
    })
    const slow: OperationEvent[] = []
    store.alerts.on('slow', (e) => slow.push(e))
    const docs = await store.collection('docs')
    backend.latencyMs = 99
    await docs.search([0, 0, 0])
    backend.latencyMs = 100
    await docs.search([0, 0, 0])
    backend.failWith = 'TIMEOUT'
    backend.latencyMs = 250
    await docs.search([0, 0, 0]).catch(() => undefined)
    expect(logged.map((l) => l.msg)).toEqual([
      'vectorkit: slow search on docs took 100 ms',
      'vectorkit: slow search on docs took 250 ms',
    ])
    expect(logged[1]?.obj).toEqual({
      operation: 'search',
      collection: 'docs',
      durationMs: 250,
      error: 'TIMEOUT',
      thresholdMs: 100,
    })
    expect(slow.map((e) => e.durationMs)).toEqual([100, 250])
  })
})

describe('options fail fast', () => {
  const backend = new ClockedStore(new FakeClock())
  it.each([
    [{ windowMs: 1 }, 'withMonitor: windowMs must be an integer ≥ 2, got 1'],
    [{ slowOperationMs: -1 }, 'withMonitor: slowOperationMs must be an integer ≥ 0, got -1'],
    [{ prefix: 'bad-prefix' }, 'withMonitor: prefix must match [a-zA-Z_:][a-zA-Z0-9_:]*, got "bad-prefix"'],
    [{ logger: {} }, 'withMonitor: logger must have a warn(obj, msg) method'],
    [{ clock: {} }, 'withMonitor: clock must be an object with a now() method'],
    [{ registry: {} }, 'withMonitor: registry must be a prom-client Registry'],
    [{ alerts: { consecutive: 0 } }, 'withMonitor: alerts.consecutive must be a positive integer, got 0'],
    [
      { alerts: { latencyP95Ms: { warning: -1 } } },
      'withMonitor: alerts.latencyP95Ms.warning must be a non-negative number, got -1',
    ],
    [
      { alerts: { clearMargin: 1 } },
      'withMonitor: alerts.clearMargin must be a number from 0 to below 1, got 1',
    ],
  ])('%j', (options, message) => {
    expect(() => withMonitor(backend, options as never)).toThrow(message)
  })

  it('rejects a non-store and bad shadow comparisons', () => {
    expect(() => withMonitor(null as never)).toThrow('withMonitor: store must be a VectorStore')
    const store = withMonitor(backend)
    expect(() =>
      store.recordShadow({ collection: 'docs', overlap: 1.5, primaryMs: 1, secondaryMs: 1 }),
    ).toThrow('recordShadow: overlap must be a number from 0 to 1, got 1.5')
  })
})

describe('observer failures', () => {
  it('a throwing logger does not change the result of the operation it observed; it becomes a process warning', async () => {
    const { backend, store } = setup({
      slowOperationMs: 10,
      logger: {
        warn: () => {
          throw new Error('logger down')
        },
      },
    })
    const docs = await store.collection('docs')
    backend.latencyMs = 50
    const warnings: Error[] = []
    const onWarning = (w: Error) => warnings.push(w)
    process.on('warning', onWarning)
    try {
      await expect(docs.search([0, 0, 0])).resolves.toEqual([])
      await new Promise((resolve) => setImmediate(resolve))
    } finally {
      process.off('warning', onWarning)
    }
    expect(warnings).toMatchObject([{ message: 'logger down' }])
  })
})
