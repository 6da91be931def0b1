import { describe, expect, it } from 'vitest'
import { MemoryStore, type Mutation } from '../src/index'

const spec = { dimensions: 2, metric: 'l2' as const }
const tick = () => new Promise((resolve) => setImmediate(resolve))

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('condition not reached within 5 s')
}

describe.each([{ type: 'flat' as const }, { type: 'hnsw' as const }])('TTL (%o)', (index) => {
  it('hides expired records from every read at once, then purges them lazily', async () => {
    let now = 1_000_000
    const store = await MemoryStore.open({ clock: () => now, ttlSweepIntervalMs: 0 })
    const seen: Mutation[] = []
    store.setMutationHook((m) => {
      seen.push(m)
    })
    const c = await store.createCollection('t', { ...spec, index })
    await c.upsert([
      { id: 'short', vector: [0, 0], expiresAt: new Date(now + 1000), metadata: { k: 1 } },
      { id: 'long', vector: [0, 1], expiresAt: new Date(now + 5000), metadata: { k: 1 } },
      { id: 'forever', vector: [0, 2], metadata: { k: 1 } },
    ])
    expect(await c.count()).toBe(3)
    const [rec] = await c.get(['short'])
    expect(rec!.expiresAt).toEqual(new Date(now + 1000))

    now += 1000
    expect(await c.count()).toBe(2)
    expect(await c.count({ k: 1 })).toBe(2)
    expect(await c.get(['short', 'long'])).toHaveLength(1)
    expect((await c.search([0, 0], { k: 10 })).map((h) => h.id)).toEqual(['long', 'forever'])
    const scanned: string[] = []
    for await (const b of c.scan()) scanned.push(...b.map((r) => r.id))
    expect(scanned).toEqual(['forever', 'long'])
    expect(await c.delete(['short'])).toBe(0)

    now += 4000
    expect((await c.search([0, 0], { k: 10 })).map((h) => h.id)).toEqual(['forever'])
    await tick()
    await tick()
    const purges = seen.filter((m) => m.type === 'delete' && m.reason === 'expired')
    expect(purges.flatMap((m) => (m.type === 'delete' ? m.ids : []))).toContain('long')
    expect((await c.stats()).details).toMatchObject({ expiredNotPurged: 0 })
    await store.close()
  })

  it('an upsert without expiresAt makes a record permanent', async () => {
    let now = 0
    const store = await MemoryStore.open({ clock: () => now, ttlSweepIntervalMs: 0 })
    const c = await store.createCollection('p', { ...spec, index })
    await c.upsert([{ id: 'a', vector: [1, 1], expiresAt: new Date(10) }])
    await c.upsert([{ id: 'a', vector: [1, 1] }])
    now = 100
    expect(await c.count()).toBe(1)
    await store.close()
  })
})

describe('TTL sweep', () => {
  it('purges in the background on its timer and stops on close', async () => {
    let now = 0
    const store = await MemoryStore.open({ clock: () => now, ttlSweepIntervalMs: 5 })
    const c = await store.createCollection('s', spec)
    await c.upsert(
      Array.from({ length: 50 }, (_, i) => ({ id: `x${i}`, vector: [i, 0], expiresAt: new Date(100) })),
    )
    now = 200
    await until(() => store.states.get('s')!.table.size === 0)
    expect(await c.count()).toBe(0)
    await store.close()
  })

  it('rejects a bad interval', async () => {
    await expect(MemoryStore.open({ ttlSweepIntervalMs: -1 })).rejects.toMatchObject({ code: 'VALIDATION' })
  })
})

describe('mutation hook', () => {
  it('sees every write in order; a throwing hook aborts the write; a pending hook delays the ack', async () => {
    const store = await MemoryStore.open()
    const seen: string[] = []
    let release: () => void = () => {}
    let mode: 'record' | 'throw' | 'hold' = 'record'
    store.setMutationHook((m) => {
      if (mode === 'throw') throw new Error('log full')
      seen.push(m.type)
      if (mode === 'hold') return new Promise<void>((r) => (release = r))
    })
    const c = await store.createCollection('h', spec)
    await c.upsert([{ id: 'a', vector: [1, 2] }])
    await c.delete({ filter: {} })
    mode = 'throw'
    await expect(c.upsert([{ id: 'b', vector: [1, 2] }])).rejects.toThrow('log full')
    expect(await c.count()).toBe(0)
    mode = 'hold'
    let acked = false
    const pending = c.upsert([{ id: 'c', vector: [1, 2] }]).then(() => (acked = true))
    await tick()
    expect(acked).toBe(false)
    expect(await c.count()).toBe(1)
    release()
    await pending
    expect(acked).toBe(true)
    mode = 'record'
    await store.dropCollection('h')
    expect(seen).toEqual(['createCollection', 'upsert', 'delete', 'upsert', 'dropCollection'])
    await store.close()
  })
})
