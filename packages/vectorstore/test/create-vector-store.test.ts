import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import {
  BACKENDS,
  createVectorStore,
  isVectorStoreError,
  monitorOf,
  parseStoreUrl,
  redactUrl,
  resolveConfig,
  rolloutOf,
} from '../src/index'

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as { port: number }
  await new Promise((resolve) => srv.close(resolve))
  return port
}

describe('resolveConfig', () => {
  it('defaults to the memory backend with no cache and no monitor', () => {
    expect(resolveConfig({}, {})).toMatchObject({
      backend: 'memory',
      cache: false,
      monitor: false,
      readPercent: 0,
    })
  })

  it('reads the environment, and explicit config wins over it', () => {
    const env = {
      VECTORKIT_BACKEND: 'postgres',
      DATABASE_URL: 'postgres://fallback/db',
      VECTORKIT_PATH: './data',
      VECTORKIT_CACHE_MAX: '500',
      VECTORKIT_CACHE_TTL_MS: '2000',
      VECTORKIT_METRICS_PORT: '9464',
    }
    const c = resolveConfig({}, env)
    expect(c).toMatchObject({
      backend: 'postgres',
      databaseUrl: 'postgres://fallback/db',
      path: './data',
      cache: { max: 500, ttl: 2000 },
      monitor: {},
      metrics: { port: 9464, host: '127.0.0.1' },
    })
    expect(resolveConfig({}, { ...env, VECTORKIT_DATABASE_URL: 'postgres://first/db' }).databaseUrl).toBe(
      'postgres://first/db',
    )
    expect(resolveConfig({ backend: 'memory', cache: { max: 7 } }, env)).toMatchObject({
      backend: 'memory',
      cache: { max: 7, ttl: 2000 },
    })
    expect(resolveConfig({ cache: false, monitor: true }, env)).toMatchObject({ cache: false, monitor: {} })
    expect(resolveConfig({ env: false }, env)).toMatchObject({ backend: 'memory', cache: false })
  })

  it('rejects an unknown backend, listing the valid ones, from config and from the environment', () => {
    expect(() => resolveConfig({ backend: 'redis' as never }, {})).toThrow(
      'backend "redis" is not a backend; valid backends: memory, postgres, rollout',
    )
    const err = (() => {
      try {
        resolveConfig({}, { VECTORKIT_BACKEND: 'Memory' })
      } catch (e) {
        return e
      }
    })()
    expect(isVectorStoreError(err, 'VALIDATION')).toBe(true)
    expect((err as Error).message).toBe(
      'VECTORKIT_BACKEND "Memory" is not a backend; valid backends: memory, postgres, rollout',
    )
    expect(BACKENDS).toEqual(['memory', 'postgres', 'rollout'])
  })

  it('names the variable or option that is malformed', () => {
    expect(() => resolveConfig({}, { VECTORKIT_CACHE_MAX: 'ten' })).toThrow(
      /VECTORKIT_CACHE_MAX must be an integer/,
    )
    expect(() => resolveConfig({}, { VECTORKIT_METRICS_PORT: '70000' })).toThrow(/VECTORKIT_METRICS_PORT/)
    expect(() => resolveConfig({}, { VECTORKIT_MONITOR: 'maybe' })).toThrow(/VECTORKIT_MONITOR must be/)
    expect(() => resolveConfig({ readPercent: -1 }, {})).toThrow(/readPercent must be a number from 0 to 100/)
    expect(() => resolveConfig({ backnd: 'memory' } as never, {})).toThrow(/unknown config option "backnd"/)
    expect(() => resolveConfig({ monitor: false, metricsPort: 1 }, {})).toThrow(
      /metricsPort needs the monitor/,
    )
  })
})

describe('store URLs', () => {
  it('parses memory and postgres URLs', () => {
    expect(parseStoreUrl('memory:')).toEqual({ backend: 'memory' })
    expect(parseStoreUrl('memory:./data')).toEqual({ backend: 'memory', path: './data' })
    expect(parseStoreUrl('memory:///var/vk')).toEqual({ backend: 'memory', path: '/var/vk' })
    expect(parseStoreUrl('postgresql://u@h/db')).toEqual({
      backend: 'postgres',
      databaseUrl: 'postgresql://u@h/db',
    })
    expect(() => parseStoreUrl('mysql://u:pw@h/db')).toThrow(
      'store URL "mysql://u:***@h/db" is not understood',
    )
  })

  it('redacts passwords', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:***@db:5432/app')
    expect(redactUrl('postgres://app@db/app')).toBe('postgres://app@db/app')
  })
})

describe('createVectorStore', () => {
  it('opens the memory backend by default: upsert, filtered exact search', async () => {
    const store = await createVectorStore({ env: {} })
    expect(store.backend).toBe('memory')
    const movies = await store.createCollection<{ genre: string; year: number }>(
      'movies',
      { dimensions: 3, metric: 'cosine' },
      { ifNotExists: true },
    )
    await movies.upsert([
      { id: 'alien', vector: [0.9, 0.1, 0], metadata: { genre: 'sci-fi', year: 1979 } },
      { id: 'heat', vector: [0.1, 0.9, 0.2], metadata: { genre: 'crime', year: 1995 } },
      { id: 'arrival', vector: [0.8, 0.2, 0.1], metadata: { genre: 'sci-fi', year: 2016 } },
    ])
    const hits = await movies.search([1, 0, 0], { k: 2, filter: { genre: 'sci-fi', year: { $gte: 1990 } } })
    expect(hits.map((h) => h.id)).toEqual(['arrival'])
    await store.close()
    await store.close()
  })

  it('fails fast on postgres without a connection string, before loading the driver', async () => {
    await expect(createVectorStore({ env: { VECTORKIT_BACKEND: 'postgres' } })).rejects.toThrow(
      /needs a connection: set VECTORKIT_DATABASE_URL/,
    )
  })

  it('wraps the backend in the cache when VECTORKIT_CACHE_MAX is set', async () => {
    const plain = await createVectorStore({ env: {} })
    const cached = await createVectorStore({ env: { VECTORKIT_CACHE_MAX: '100' } })
    expect(Object.getPrototypeOf(cached)).not.toBe(Object.getPrototypeOf(plain))
    const c = await cached.createCollection('c', { dimensions: 2, metric: 'l2' })
    await c.upsert([{ id: 'a', vector: [0, 1] }])
    expect((await c.search([0, 1], { k: 1 }))[0]?.id).toBe('a')
    expect((await c.search([0, 1], { k: 1 }))[0]?.id).toBe('a')
    await Promise.all([plain.close(), cached.close()])
  })
})

describe('createVectorStore with the monitor', () => {
  it('switches the monitor on from VECTORKIT_METRICS_PORT, serves /metrics and /health, and closes the server', async () => {
    const port = await freePort()
    const store = await createVectorStore({
      env: { VECTORKIT_METRICS_PORT: String(port), VECTORKIT_CACHE_MAX: '50' },
    })
    const monitor = monitorOf(store)!
    expect(monitor).toBeDefined()
    const c = await store.createCollection('m', { dimensions: 2, metric: 'l2' })
    await c.upsert([{ id: 'a', vector: [1, 1] }])
    await c.search([1, 1], { k: 1 })
    await c.search([1, 1], { k: 1 })
    const m = monitor.metrics()
    expect(m.operations.some((o) => o.operation === 'search')).toBe(true)
    expect(m.cache?.hits).toBe(1)
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`)
    expect(metrics.status).toBe(200)
    expect(await metrics.text()).toMatch(/search/)
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(health.status).toBe(200)
    await store.close()
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
  })

  it('records the rollout shadow reads in the monitor', async () => {
    const store = await createVectorStore({
      backend: 'rollout',
      primary: 'memory:',
      secondary: 'memory:',
      shadow: true,
      monitor: true,
      env: false,
    })
    const c = await store.createCollection('s', { dimensions: 2, metric: 'l2' })
    await c.upsert([
      { id: 'a', vector: [1, 1] },
      { id: 'b', vector: [2, 2] },
    ])
    await c.search([1, 1], { k: 2 })
    await rolloutOf(store)!.settled()
    expect(monitorOf(store)!.metrics().shadow).toMatchObject([
      { collection: 's', comparisons: 1, meanOverlap: 1 },
    ])
    await store.close()
  })
})

describe('createVectorStore with a memory path', () => {
  it('passes VECTORKIT_PATH to the memory backend, which persists across reopen', async () => {
    const { mkdtemp } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'vk-facade-'))
    const first = await createVectorStore({ env: { VECTORKIT_PATH: dir } })
    expect(first.capabilities.persistence).toBe(true)
    await (await first.createCollection('kept', { dimensions: 2, metric: 'l2' })).upsert([
      { id: 'a', vector: [1, 2] },
    ])
    await first.close()
    const second = await createVectorStore({ backend: 'memory', path: dir, env: false })
    expect(await (await second.collection('kept')).get(['a'])).toMatchObject([{ id: 'a' }])
    await second.close()
    // The same directory as a store URL, as the CLI opens it.
    const third = await createVectorStore({ ...parseStoreUrl(`memory:${dir}`), env: false })
    expect(await (await third.collection('kept')).count()).toBe(1)
    await third.close()
  })
})
