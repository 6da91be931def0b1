import { describe, expect, it } from 'vitest'
import { withCache } from '../src/index'
import { ScriptedStore } from './scripted-store'

const Q = [1, 0, 0]

describe('ttl and record expiry', () => {
  it('an entry lives at most ttl milliseconds of the injected clock', async () => {
    let t = 1_000
    const backend = new ScriptedStore()
    const store = withCache(backend, { ttl: 100, clock: { now: () => t } })
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([{ id: 'a', vector: [1, 0, 0] }])
    await docs.search(Q)
    t += 100
    await docs.search(Q)
    expect(backend.searchCalls).toBe(1)
    t += 1
    await docs.search(Q)
    expect(backend.searchCalls).toBe(2)
  })

  it('an entry never outlives the earliest expiresAt among its hits', async () => {
    let t = Date.UTC(2030, 0, 1)
    const backend = new ScriptedStore({ ttl: true })
    backend.now = () => t
    const store = withCache(backend, { ttl: 60_000, clock: { now: () => t } })
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([
      { id: 'soon', vector: [1, 0, 0], expiresAt: new Date(t + 500) },
      { id: 'later', vector: [0.9, 0, 0], expiresAt: new Date(t + 50_000) },
      { id: 'never', vector: [0.8, 0, 0] },
    ])
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['soon', 'later', 'never'])
    t += 400
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['soon', 'later', 'never'])
    expect(backend.searchCalls).toBe(1)
    t += 100 // 'soon' has expired at the backend: the entry must be gone too
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['later', 'never'])
    expect(backend.searchCalls).toBe(2)
  })

  it('does not read expiries back when the backend has no TTL', async () => {
    const backend = new ScriptedStore()
    const store = withCache(backend)
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([{ id: 'a', vector: [1, 0, 0] }])
    await docs.search(Q)
    expect(backend.getCalls).toBe(0)
  })
})

describe('safety', () => {
  it('returns frozen results that callers cannot use to corrupt the cache', async () => {
    const store = withCache(new ScriptedStore())
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { tags: ['x'] } }])
    const first = await docs.search(Q)
    expect(Object.isFrozen(first)).toBe(true)
    expect(() => {
      ;(first[0]!.metadata!.tags as string[]).push('evil')
    }).toThrow(TypeError)
    expect(() => {
      first[0]!.score = 42
    }).toThrow(TypeError)
    const again = await docs.search(Q)
    expect(again[0]!.metadata).toEqual({ tags: ['x'] })
  })

  it('copies vectors on every return, since typed arrays cannot be frozen', async () => {
    const store = withCache(new ScriptedStore())
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([{ id: 'a', vector: [1, 0, 0] }])
    const first = await docs.search(Q, { includeVectors: true })
    first[0]!.vector![0] = 99
    const again = await docs.search(Q, { includeVectors: true })
    expect(Array.from(again[0]!.vector!)).toEqual([1, 0, 0])
    expect(store.cacheStats().hits).toBe(1)
  })

  it('a caller reusing its query buffer during a miss cannot poison the key', async () => {
    const backend = new ScriptedStore()
    const store = withCache(backend)
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([
      { id: 'x', vector: [1, 0, 0] },
      { id: 'y', vector: [0, 1, 0] },
    ])
    const buf = new Float32Array([1, 0, 0])
    const pending = docs.search(buf, { k: 1 })
    buf.set([0, 1, 0])
    expect((await pending)[0]!.id).toBe('x')
    expect((await docs.search([1, 0, 0], { k: 1 }))[0]!.id).toBe('x')
  })
})

describe('stats and bounds', () => {
  it('counts hits, misses, ratio, evictions and size', async () => {
    const store = withCache(new ScriptedStore(), { max: 2 })
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([{ id: 'a', vector: [1, 0, 0] }])
    expect(store.cacheStats().hitRatio).toBe(0)
    await docs.search([1, 0, 0])
    await docs.search([1, 0, 0])
    await docs.search([0, 1, 0])
    await docs.search([0, 0, 1])
    const s = store.cacheStats()
    expect(s).toMatchObject({ hits: 1, misses: 3, evictions: 1, size: 2 })
    expect(s.hitRatio).toBeCloseTo(0.25)
    store.clearCache()
    expect(store.cacheStats().size).toBe(0)
  })

  it('maxSize bounds approximate bytes and refuses entries larger than itself', async () => {
    const store = withCache(new ScriptedStore(), { maxSize: 400 })
    const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    await docs.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { text: 'x'.repeat(500) } }])
    await docs.search(Q)
    expect(store.cacheStats().size).toBe(0)
    await docs.search(Q, { filter: { text: 'nothing' } })
    expect(store.cacheStats().size).toBe(1)
    expect(store.cacheStats().bytes).toBeGreaterThan(0)
    expect(store.cacheStats().bytes).toBeLessThanOrEqual(400)
  })
})

describe('options fail fast', () => {
  const backend = new ScriptedStore()
  it.each([
    [{ max: 0 }, 'withCache: max must be a positive integer, got 0'],
    [{ max: 1.5 }, 'withCache: max must be a positive integer, got 1.5'],
    [{ maxSize: -1 }, 'withCache: maxSize must be a positive integer, got -1'],
    [{ ttl: -5 }, 'withCache: ttl must be a non-negative integer of milliseconds, got -5'],
    [{ ttl: '5' }, 'withCache: ttl must be a non-negative integer of milliseconds, got string'],
    [{ clock: {} }, 'withCache: clock must be an object with a now() method'],
    [{ subscribe: 1 }, 'withCache: subscribe must be a boolean, got 1'],
  ])('%j', (options, message) => {
    expect(() => withCache(backend, options as never)).toThrow(message)
    try {
      withCache(backend, options as never)
    } catch (err) {
      expect(err).toMatchObject({ code: 'VALIDATION', message })
    }
  })

  it('rejects a non-store', () => {
    expect(() => withCache({} as never)).toThrow('withCache: store must be a VectorStore')
  })
})
