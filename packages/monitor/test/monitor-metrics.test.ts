import diagnostics from 'node:diagnostics_channel'
import { withCache } from '@vectorkit/cache'
import { MemoryStore } from '@vectorkit/memory'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createNoopStore, MONITOR_CHANNELS, withMonitor } from '../src/index'
import { ClockedStore, FakeClock } from './clocked-store'

/** Parses Prometheus text exposition into `name{labels}` → value. */
function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line)
    if (!m) throw new Error(`unparsable exposition line: ${line}`)
    out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]))
  }
  return out
}

async function monitored(opts: Parameters<typeof withMonitor>[1] = {}) {
  const clock = new FakeClock()
  const backend = new ClockedStore(clock)
  const store = withMonitor(backend, { clock, evaluateEveryMs: 0, ...opts })
  const docs = await store.collection('docs')
  return { clock, backend, store, docs }
}

describe('operation metrics', () => {
  it('records counts, errors by code and HDR quantiles per operation and collection', async () => {
    const { backend, store, docs } = await monitored()
    for (let i = 1; i <= 100; i++) {
      backend.latencyMs = i
      await docs.search([0, 0, 0])
    }
    const search = store
      .metrics()
      .operations.find((o) => o.operation === 'search' && o.collection === 'docs')!
    expect(search.count).toBe(100)
    expect(search.meanMs).toBeCloseTo(50.5)
    // HDR at 2 significant digits: within 1% of the exact order statistic.
    expect(search.latencyMs.p50).toBeGreaterThanOrEqual(49.5)
    expect(search.latencyMs.p50).toBeLessThanOrEqual(51.5)
    expect(search.latencyMs.p95).toBeGreaterThanOrEqual(94)
    expect(search.latencyMs.p95).toBeLessThanOrEqual(96)
    expect(search.latencyMs.p99).toBeGreaterThanOrEqual(98)
    expect(search.latencyMs.p99).toBeLessThanOrEqual(100.5)
    expect(store.metrics().operations.find((o) => o.operation === 'collection')?.count).toBe(1)
    backend.failWith = 'TIMEOUT'
    await expect(docs.search([0, 0, 0])).rejects.toMatchObject({ code: 'TIMEOUT' })
    backend.failWith = 'TypeError'
    await expect(docs.search([0, 0, 0])).rejects.toThrow(TypeError)
    const after = store.metrics().operations.find((o) => o.operation === 'search' && o.collection === 'docs')!
    expect(after.count).toBe(102)
    expect(after.errors).toBe(2)
    expect(after.errorsByCode).toEqual({ TIMEOUT: 1, UNKNOWN: 1 })
  })

  it('forgets latencies older than the window', async () => {
    const { clock, backend, store, docs } = await monitored({ windowMs: 10_000 })
    backend.latencyMs = 300
    await docs.search([0, 0, 0])
    clock.t += 20_000
    const search = store.metrics().operations.find((o) => o.operation === 'search')!
    expect(search.latencyMs.count).toBe(0)
    expect(search.count).toBe(1)
  })

  it('labels every collection "*" when perCollection is off', async () => {
    const { store } = await monitored({ perCollection: false })
    await (await store.collection('a')).search([0, 0, 0])
    await (await store.collection('b')).search([0, 0, 0])
    const search = store.metrics().operations.filter((o) => o.operation === 'search')
    expect(search).toHaveLength(1)
    expect(search[0]).toMatchObject({ collection: '*', count: 2 })
  })
})

describe('Prometheus export', () => {
  it('exposes parseable text with the documented names, on a registry the user passes', async () => {
    const registry = new Registry()
    const clock = new FakeClock()
    const cached = withCache(createNoopStore())
    const store = withMonitor(cached, { clock, registry, evaluateEveryMs: 0 })
    expect(store.registry).toBe(registry)
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.search([0, 0, 1])
    await docs.search([0, 0, 1])
    await expect(docs.search([0, 1])).resolves.toEqual([])
    store.recordShadow({ collection: 'docs', overlap: 0.8, primaryMs: 2, secondaryMs: 5 })
    await store.health()
    const m = parseExposition(await registry.metrics())
    expect(m.get('vectorkit_operations_total{operation="search",collection="docs"}')).toBe(3)
    expect(m.get('vectorkit_operations_total{operation="createCollection",collection="docs"}')).toBe(1)
    expect(
      m.has('vectorkit_operation_latency_seconds{operation="search",collection="docs",quantile="0.95"}'),
    ).toBe(true)
    expect(m.get('vectorkit_cache_hits_total')).toBe(1)
    expect(m.get('vectorkit_cache_misses_total')).toBe(2)
    expect(m.get('vectorkit_cache_entries')).toBe(2)
    expect(m.get('vectorkit_cache_hit_ratio')).toBeCloseTo(1 / 3)
    expect(m.get('vectorkit_shadow_comparisons_total{collection="docs"}')).toBe(1)
    expect(m.get('vectorkit_shadow_overlap_total{collection="docs"}')).toBeCloseTo(0.8)
    expect(
      m.get('vectorkit_shadow_latency_seconds{collection="docs",side="secondary",quantile="0.5"}'),
    ).toBeCloseTo(0.005, 4)
    expect(m.get('vectorkit_health_status{check="overall"}')).toBe(0)
    await store.close()
    expect(await registry.metrics()).toBe('\n')
  })

  it('exports vectors per collection and index stats, re-read on scrape at most every statsEveryMs', async () => {
    const clock = new FakeClock()
    const store = withMonitor(await MemoryStore.open(), { clock, evaluateEveryMs: 0, statsEveryMs: 1000 })
    const docs = await store.createCollection('docs', {
      dimensions: 2,
      metric: 'l2',
      index: { type: 'hnsw' },
    })
    await docs.upsert([
      { id: 'a', vector: [1, 0] },
      { id: 'b', vector: [0, 1] },
      { id: 'c', vector: [1, 1] },
    ])
    let m = parseExposition(await store.registry.metrics())
    expect(m.get('vectorkit_collection_vectors{collection="docs"}')).toBe(3)
    expect(m.get('vectorkit_collection_index_stat{collection="docs",stat="efSearch"}')).toBe(100)
    expect(m.get('vectorkit_collection_bytes{collection="docs"}')).toBeGreaterThan(0)
    await docs.upsert([{ id: 'd', vector: [2, 2] }])
    m = parseExposition(await store.registry.metrics())
    expect(m.get('vectorkit_collection_vectors{collection="docs"}')).toBe(3)
    clock.t += 1000
    m = parseExposition(await store.registry.metrics())
    expect(m.get('vectorkit_collection_vectors{collection="docs"}')).toBe(4)
    expect(store.metrics().collections.map((c) => [c.name, c.count])).toEqual([['docs', 4]])
    // Stats reads for the gauges are not application operations.
    expect(store.metrics().operations.find((o) => o.operation === 'stats')).toBeUndefined()
    await store.close()
  })

  it('refuses a second monitor with the same prefix on one registry, but not with another prefix', () => {
    const registry = new Registry()
    withMonitor(createNoopStore(), { registry })
    expect(() => withMonitor(createNoopStore(), { registry })).toThrow(
      'withMonitor: metrics named vectorkit_* are already registered on this registry; close the other monitor or pass another prefix',
    )
    try {
      withMonitor(createNoopStore(), { registry })
    } catch (err) {
      expect(err).toMatchObject({ code: 'CONFLICT', cause: expect.any(Error) })
    }
    expect(() => withMonitor(createNoopStore(), { registry, prefix: 'second_' })).not.toThrow()
  })
})

describe('zero cost when unobserved', () => {
  it('publishes operations on diagnostics_channel only while subscribed', async () => {
    const { docs } = await monitored()
    const seen: unknown[] = []
    const listener = (msg: unknown) => seen.push(msg)
    await docs.search([0, 0, 0])
    diagnostics.subscribe(MONITOR_CHANNELS.operation, listener)
    await docs.search([0, 0, 0])
    diagnostics.unsubscribe(MONITOR_CHANNELS.operation, listener)
    await docs.search([0, 0, 0])
    expect(seen).toEqual([{ operation: 'search', collection: 'docs', durationMs: 1 }])
  })
})

describe('label cardinality', () => {
  it('labels failed store-level calls with the store, not with the unknown name asked for', async () => {
    const store = withMonitor(createNoopStore(), { evaluateEveryMs: 0 })
    for (const bad of ['../etc', 'x'.repeat(300), ''])
      await expect(store.collection(bad)).rejects.toMatchObject({ code: 'VALIDATION' })
    await store.collection('ok')
    const rows = store.metrics().operations.filter((o) => o.operation === 'collection')
    expect(rows.map((o) => [o.collection, o.count, o.errors]).sort()).toEqual([
      ['', 3, 3],
      ['ok', 1, 0],
    ])
  })
})
