import { describe, expect, it } from 'vitest'
import { withCache } from '../src/index'
import { deferred, ScriptedStore } from './scripted-store'

const Q = [1, 0, 0]

async function setup(opts: ConstructorParameters<typeof ScriptedStore>[0] = {}) {
  const backend = new ScriptedStore(opts)
  const store = withCache(backend)
  const docs = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
  await docs.upsert([{ id: 'old', vector: [1, 0, 0] }])
  return { backend, store, docs }
}

describe('invalidation', () => {
  it('a write through the decorator invalidates that collection only', async () => {
    const { backend, store, docs } = await setup()
    const other = await store.createCollection('other', { dimensions: 3, metric: 'l2' })
    await other.upsert([{ id: 'x', vector: [1, 0, 0] }])
    await docs.search(Q)
    await other.search(Q)
    await docs.upsert([{ id: 'new', vector: [1, 0, 0.0001] }])
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['old', 'new'])
    await other.search(Q)
    expect(backend.searchCalls).toBe(3)
    await docs.delete(['new'])
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['old'])
    expect(store.cacheStats().invalidations).toBeGreaterThanOrEqual(2)
  })

  it('a miss in flight during a write never populates the cache', async () => {
    const { backend, docs } = await setup()
    const gate = deferred()
    backend.gate = gate.promise
    const before = docs.search(Q) // reads the old rows, then waits at the gate
    await Promise.resolve()
    backend.gate = undefined
    await docs.upsert([{ id: 'new', vector: [1, 0, 0.0001] }])
    gate.resolve()
    expect((await before).map((h) => h.id)).toEqual(['old'])
    // Started after the write returned: must see it, not the in-flight answer.
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['old', 'new'])
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['old', 'new'])
    expect(backend.searchCalls).toBe(2)
  })

  it('a search started after a write does not join a flight started before it', async () => {
    const { backend, docs } = await setup()
    const gate = deferred()
    backend.gate = gate.promise
    const before = docs.search(Q)
    await docs.upsert([{ id: 'new', vector: [1, 0, 0.0001] }])
    backend.gate = undefined
    const after = docs.search(Q)
    expect((await after).map((h) => h.id)).toEqual(['old', 'new'])
    gate.resolve()
    expect((await before).map((h) => h.id)).toEqual(['old'])
    expect(backend.searchCalls).toBe(2)
  })

  it('a failed write still invalidates (it may have partly applied elsewhere)', async () => {
    const { store, docs } = await setup()
    const before = store.cacheStats().invalidations
    await expect(docs.upsert([{ id: '', vector: [1, 0, 0] }])).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(store.cacheStats().invalidations).toBe(before + 1)
  })

  it('drop and create invalidate, so a recreated collection never serves old entries', async () => {
    const { backend, store, docs } = await setup()
    await docs.search(Q)
    await store.dropCollection('docs')
    const again = await store.createCollection('docs', { dimensions: 3, metric: 'l2' })
    expect(await again.search(Q)).toEqual([])
    expect(backend.searchCalls).toBe(2)
  })

  it('change notifications from other processes bump the generation', async () => {
    const { backend, store, docs } = await setup({ changeNotifications: true })
    expect(backend.listenerCount()).toBe(1)
    await docs.search(Q)
    backend.writeBehind('docs', [{ id: 'remote', vector: [1, 0, 0.0001] }])
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['old']) // stale until notified
    backend.emit({ collection: 'docs', kind: 'write' })
    expect((await docs.search(Q)).map((h) => h.id)).toEqual(['old', 'remote'])
    expect(typeof store.subscribeChanges).toBe('function')
    await store.close()
    expect(backend.listenerCount()).toBe(0)
  })

  it('does not subscribe when told not to, and exposes no subscribeChanges without the capability', async () => {
    const withNotes = new ScriptedStore({ changeNotifications: true })
    withCache(withNotes, { subscribe: false })
    expect(withNotes.listenerCount()).toBe(0)
    expect(withCache(new ScriptedStore()).subscribeChanges).toBeUndefined()
  })

  it('a load finishing after close() leaves the cache empty', async () => {
    const { backend, store, docs } = await setup()
    const gate = deferred()
    backend.gate = gate.promise
    const pending = docs.search(Q)
    await store.close()
    gate.resolve()
    expect((await pending).map((h) => h.id)).toEqual(['old'])
    expect(store.cacheStats().size).toBe(0)
  })

  it('after close, searches reach the backend (which reports CLOSED) instead of the cache', async () => {
    const { backend, store, docs } = await setup()
    await docs.search(Q)
    await store.close()
    await docs.search(Q)
    expect(backend.searchCalls).toBe(2)
  })
})

describe('single flight', () => {
  it('100 concurrent identical misses make one backend call', async () => {
    const { backend, store, docs } = await setup()
    const gate = deferred()
    backend.gate = gate.promise
    const all = Array.from({ length: 100 }, () => docs.search(Q, { k: 5 }))
    gate.resolve()
    const results = await Promise.all(all)
    expect(backend.searchCalls).toBe(1)
    for (const r of results) expect(r.map((h) => h.id)).toEqual(['old'])
    const s = store.cacheStats()
    expect(s.misses).toBe(100)
    expect(s.coalesced).toBe(99)
  })

  it('shares a rejection and caches nothing', async () => {
    const { backend, store, docs } = await setup()
    const gate = deferred()
    backend.gate = gate.promise
    const bad = [1, 0, Number.NaN]
    const all = Array.from({ length: 5 }, () => docs.search(bad))
    gate.resolve()
    for (const p of all) await expect(p).rejects.toMatchObject({ code: 'VALIDATION' })
    expect(backend.searchCalls).toBe(1)
    expect(store.cacheStats().size).toBe(0)
  })
})

describe('event-loop fairness', () => {
  it('a loop of cache hits still lets timers and I/O run', async () => {
    const { docs } = await setup()
    await docs.search(Q)
    let turned = false
    setImmediate(() => {
      turned = true
    })
    let hits = 0
    // Without yielding, this loop would run on microtasks forever and never see `turned`.
    while (!turned && hits < 100_000) {
      await docs.search(Q)
      hits++
    }
    expect(turned).toBe(true)
    expect(hits).toBeLessThan(100_000)
  })
})
