import { MemoryStore } from '@vectorkit/memory'
import { describe, expect, it } from 'vitest'
import { makeRecords } from './helpers/data'
import {
  createRolloutStore,
  createVectorStore,
  rolloutOf,
  type ShadowReadSample,
  stickyBucketForTest,
  withCallerKey,
} from './helpers/rollout-imports'
import { switchable } from './helpers/switchable'

const spec = { dimensions: 6, metric: 'cosine' as const }

async function pair() {
  const primary = await MemoryStore.open()
  const [secondary, sw] = switchable(await MemoryStore.open())
  return { primary, secondary, sw }
}

describe('rollout store', () => {
  it('writes to the primary, then to the secondary', async () => {
    const { primary, secondary } = await pair()
    const store = createRolloutStore({ primary, secondary })
    const docs = await store.createCollection('docs', spec)
    await docs.upsert(makeRecords(50, 6))
    expect(await docs.delete(['r000001', 'r000002'])).toBe(2)
    expect(await docs.delete({ filter: { group: 'a' } })).toBe(17)
    for (const s of [primary, secondary]) expect(await (await s.collection('docs')).count()).toBe(31)
    await store.dropCollection('docs')
    expect(await secondary.listCollections()).toEqual([])
  })

  it('queues writes for a secondary that is down, reports degraded, and drains in order when it returns', async () => {
    const { primary, secondary, sw } = await pair()
    const store = createRolloutStore({ primary, secondary, readPercent: 100, retryMs: 60_000 })
    const docs = await store.createCollection('docs', spec)
    await docs.upsert(makeRecords(10, 6))
    sw.down = true
    const recs = makeRecords(20, 6, 7)
    await docs.upsert(recs.slice(0, 10)) // the primary took it: the call succeeds
    await docs.delete(['r000000'])
    await store.createCollection('late', spec)
    const mutable = recs.slice(10)
    await (await store.collection('late')).upsert(mutable)
    ;(mutable[0]!.vector as Float32Array).fill(9) // the caller reuses its buffer; the outbox kept a copy
    const h = await store.health()
    expect(h.status).toBe('degraded')
    expect(h.checks.find((c) => c.name === 'rollout:outbox')).toMatchObject({ status: 'degraded' })
    expect(store.outboxState()).toMatchObject({ pending: 4, pendingRecords: 22, lastError: 'switched off' })
    // While the secondary is behind, reads are served by the primary even at 100%.
    expect(store.route()).toBe('primary')
    expect(await docs.count()).toBe(9)
    sw.down = false
    expect(await store.drain()).toBe(true)
    expect((await store.health()).status).toBe('healthy')
    expect(store.outboxState()).toMatchObject({ pending: 0, applied: 6 })
    const sDocs = await secondary.collection('docs')
    expect(await sDocs.count()).toBe(9)
    expect(await sDocs.get(['r000000'])).toEqual([])
    // Replayed in order: the re-upserted vectors (seed 7) replaced the first ones.
    expect(await sDocs.get(['r000005'])).toEqual(await (await primary.collection('docs')).get(['r000005']))
    const [late] = await (await secondary.collection('late')).get([mutable[0]!.id])
    expect(Array.from(late!.vector)).toEqual(
      Array.from((await (await primary.collection('late')).get([mutable[0]!.id]))[0]!.vector),
    )
    expect(store.route()).toBe('secondary')
  })

  it('reports a secondary whose health() throws as degraded overall, not as an error', async () => {
    const { primary, secondary } = await pair()
    const broken = new Proxy(secondary, {
      get: (t, p) =>
        p === 'health'
          ? async () => {
              throw new Error('socket hang up')
            }
          : Reflect.get(t, p, t),
    })
    const store = createRolloutStore({ primary, secondary: broken })
    const h = await store.health()
    expect(h.status).toBe('degraded')
    expect(h.checks).toContainEqual(
      expect.objectContaining({ name: 'secondary:health', status: 'unhealthy', message: 'socket hang up' }),
    )
  })

  it('drops an outbox that outgrows its bound and keeps reads on the primary until resynced', async () => {
    const { primary, secondary, sw } = await pair()
    const store = createRolloutStore({
      primary,
      secondary,
      readPercent: 100,
      maxOutboxRecords: 15,
      retryMs: 60_000,
    })
    const docs = await store.createCollection('docs', spec)
    sw.down = true
    await docs.upsert(makeRecords(10, 6))
    expect(store.outboxState()).toMatchObject({ pending: 1, pendingRecords: 10, overflowed: false })
    await docs.upsert(makeRecords(10, 6, 3, 'x'))
    expect(store.outboxState()).toMatchObject({ pending: 0, pendingRecords: 0, overflowed: true })
    const h = await store.health()
    expect(h.status).toBe('degraded')
    expect(h.checks.find((c) => c.name === 'rollout:outbox')?.message).toMatch(/overflowed.*resynchronise/)
    sw.down = false
    expect(await store.drain()).toBe(false)
    expect(store.route()).toBe('primary')
    await docs.upsert(makeRecords(1, 6, 4, 'y')) // not mirrored while the secondary is known stale
    expect(await (await secondary.collection('docs')).count()).toBe(0)
    store.markResynced()
    expect(store.route()).toBe('secondary')
    expect((await store.health()).status).toBe('healthy')
  })

  it('drains by itself on a timer once the secondary returns', async () => {
    const { primary, secondary, sw } = await pair()
    const store = createRolloutStore({ primary, secondary, retryMs: 5 })
    const docs = await store.createCollection('docs', spec)
    sw.down = true
    await docs.upsert(makeRecords(5, 6))
    sw.down = false
    await expect.poll(() => store.outboxState().pending, { timeout: 5000 }).toBe(0)
    expect(await (await secondary.collection('docs')).count()).toBe(5)
    await store.close()
  })

  it('fails a write the primary rejects, and sends nothing to the secondary', async () => {
    const { primary, secondary } = await pair()
    const store = createRolloutStore({ primary, secondary })
    const docs = await store.createCollection('docs', spec)
    await expect(docs.upsert([{ id: 'x', vector: [1, 2] }])).rejects.toMatchObject({
      code: 'DIMENSION_MISMATCH',
    })
    expect(store.outboxState().pending).toBe(0)
    expect(await (await secondary.collection('docs')).count()).toBe(0)
  })

  it('routes reads by percentage, sticky per caller key', async () => {
    const { primary, secondary } = await pair()
    const store = createRolloutStore({ primary, secondary, readPercent: 30 })
    const keys = Array.from({ length: 1000 }, (_, i) => `user-${i}`)
    const first = keys.map((k) => withCallerKey(k, () => store.route()))
    expect(keys.map((k) => withCallerKey(k, () => store.route()))).toEqual(first)
    const share = first.filter((r) => r === 'secondary').length / keys.length
    expect(share).toBeGreaterThan(0.25)
    expect(share).toBeLessThan(0.35)
    for (const [i, k] of keys.entries())
      expect(first[i]).toBe(stickyBucketForTest(k) < 30 ? 'secondary' : 'primary')
    // Raising the percentage never moves a caller back to the primary.
    store.setReadPercent(60)
    const later = keys.map((k) => withCallerKey(k, () => store.route()))
    for (const [i, r] of first.entries()) if (r === 'secondary') expect(later[i]).toBe('secondary')
    expect(() => store.setReadPercent(101)).toThrow(/0 to 100/)
  })

  it('serves reads from the secondary for its callers, and falls back to the primary when it fails', async () => {
    const { primary, secondary, sw } = await pair()
    const store = createRolloutStore({ primary, secondary, readPercent: 100 })
    const docs = await store.createCollection('docs', spec)
    await docs.upsert(makeRecords(20, 6))
    // Make the stores disagree behind the rollout's back, to see who answers.
    await (await secondary.collection('docs')).delete(['r000000'])
    expect(await docs.count()).toBe(19)
    sw.down = true
    expect(await docs.count()).toBe(20)
    await expect(docs.search([1, 2], { k: 1 })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' })
  })

  it('shadow mode reads both, serves the routed one, and records overlap and latency', async () => {
    const { primary, secondary } = await pair()
    const samples: ShadowReadSample[] = []
    const store = createRolloutStore({
      primary,
      secondary,
      shadow: true,
      readPercent: 0,
      shadowRecorder: { recordShadowRead: (s) => samples.push(s) },
    })
    const docs = await store.createCollection('docs', spec)
    const recs = makeRecords(40, 6)
    await docs.upsert(recs)
    // Remove 2 of the primary's top 10 from the secondary only.
    const q = recs[0]!.vector
    const top = (await (await primary.collection('docs')).search(q, { k: 10 })).map((h) => h.id)
    await (await secondary.collection('docs')).delete(top.slice(8))
    const hits = await docs.search(q, { k: 10 })
    expect(hits.map((h) => h.id)).toEqual(top)
    await store.settled()
    expect(samples).toHaveLength(1)
    expect(samples[0]).toMatchObject({ collection: 'docs', k: 10, overlap: 0.8, served: 'primary' })
    expect(samples[0]!.primaryMs).toBeGreaterThanOrEqual(0)
    expect(store.shadowStats()).toMatchObject({ reads: 1, meanOverlap: 0.8, errors: 0 })
  })
})

describe('createVectorStore({ backend: "rollout" })', () => {
  it('builds a rollout over stores or store URLs and exposes it through rolloutOf', async () => {
    const primary = await MemoryStore.open()
    const store = await createVectorStore({
      backend: 'rollout',
      primary,
      secondary: 'memory:',
      readPercent: 10,
      env: false,
    })
    const rollout = rolloutOf(store)!
    expect(rollout.readPercent).toBe(10)
    expect(rollout.primary).toBe(primary)
    await (await store.createCollection('c', spec)).upsert(makeRecords(3, 6))
    expect(await (await rollout.secondary.collection('c')).count()).toBe(3)
    await store.close()
    // The primary was passed in, so it is still open; the secondary was opened from its URL and is closed.
    expect(await (await primary.collection('c')).count()).toBe(3)
    await expect(rollout.secondary.listCollections()).rejects.toMatchObject({ code: 'CLOSED' })
  })

  it('reads rollout settings from the environment', async () => {
    const store = await createVectorStore({
      env: {
        VECTORKIT_BACKEND: 'rollout',
        VECTORKIT_ROLLOUT_PRIMARY: 'memory:',
        VECTORKIT_ROLLOUT_SECONDARY: 'memory:',
        VECTORKIT_ROLLOUT_READ_PERCENT: '25',
        VECTORKIT_ROLLOUT_SHADOW: 'true',
      },
    })
    expect(rolloutOf(store)).toMatchObject({ readPercent: 25, shadow: true })
    await store.close()
    await expect(
      createVectorStore({
        env: {
          VECTORKIT_BACKEND: 'rollout',
          VECTORKIT_ROLLOUT_SECONDARY: 'memory:',
          VECTORKIT_ROLLOUT_READ_PERCENT: 'lots',
        },
      }),
    ).rejects.toThrow(/VECTORKIT_ROLLOUT_READ_PERCENT must be a number from 0 to 100/)
  })
})

describe('rollout writes under concurrency', () => {
  it('mirrors every one of many concurrent writes, in a consistent final state', async () => {
    const { primary, secondary } = await pair()
    const store = createRolloutStore({ primary, secondary })
    const docs = await store.createCollection('docs', spec)
    const recs = makeRecords(200, 6)
    await Promise.all(recs.map((r) => docs.upsert([r])))
    await Promise.all(recs.slice(0, 50).map((r) => docs.delete([r.id])))
    expect(store.outboxState().pending).toBe(0)
    expect(await (await secondary.collection('docs')).count()).toBe(150)
    const ids = recs.map((r) => r.id)
    expect(await (await secondary.collection('docs')).get(ids)).toEqual(
      await (await primary.collection('docs')).get(ids),
    )
  })
})
