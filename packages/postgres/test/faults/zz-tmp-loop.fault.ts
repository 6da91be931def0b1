import { isVectorStoreError, type VectorStore } from '@vectorkit/core'
import { PostgresStore } from '@vectorkit/postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, ThrowawayCluster } from './throwaway-cluster'

/**
 * PostgreSQL faults (issue 6, 3.4) on a throwaway cluster: backends terminated under the
 * pool, the server restarted during traffic (fast, and immediate stop then start), and the
 * server down at start-up. Throughout: the process survives, failures are `CONNECTION`,
 * `health()` reports the outage and recovers, and the same store works again afterwards.
 */
let cluster: ThrowawayCluster
let store: PostgresStore
const DIM = 8

const vec = (i: number): number[] => Array.from({ length: DIM }, (_, d) => Math.sin(i * (d + 1)))

beforeAll(async () => {
  cluster = await ThrowawayCluster.create()
  store = await PostgresStore.connect({
    connectionString: cluster.url,
    connectionTimeoutMs: 3000,
    queryTimeoutMs: 10_000,
    maxConnections: 4,
    purgeIntervalMs: 0,
  })
  const c = await store.createCollection('faults', { dimensions: DIM, metric: 'l2', index: { type: 'hnsw' } })
  await c.upsert(Array.from({ length: 200 }, (_, i) => ({ id: `base-${i}`, vector: vec(i) })))
})

afterAll(async () => {
  await store?.close()
  await cluster?.destroy()
})

/** Messages of failures that were not CONNECTION, shown when an assertion on codes fails. */
const unexpected: string[] = []

/** Runs one operation; returns 'ok' or the error code (anything that is not a VectorStoreError is a bug). */
async function attempt(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn()
    return 'ok'
  } catch (err) {
    if (!isVectorStoreError(err)) throw err
    if (err.code !== 'CONNECTION')
      unexpected.push(`${err.code}: ${err.message} (cause: ${String(err.cause)})`)
    return err.code
  }
}

/** Mixed traffic (search, upsert, count) in `workers` loops until `stop()`; collects outcomes. */
function traffic(s: VectorStore, workers = 3) {
  const outcomes: string[] = []
  let running = true
  let n = 0
  const loops = Array.from({ length: workers }, async () => {
    const c = await s.collection('faults')
    while (running) {
      const i = n++
      const op = i % 3
      outcomes.push(
        await attempt(() =>
          op === 0
            ? c.search(vec(i), { k: 5 })
            : op === 1
              ? c.upsert([{ id: `t-${i}`, vector: vec(i) }])
              : c.count(),
        ),
      )
      await new Promise((r) => setTimeout(r, 5))
    }
  })
  return {
    outcomes,
    async stop() {
      running = false
      await Promise.all(loops)
    },
  }
}

/** Retries `fn` until it succeeds (the pool replaces dead connections); fails after `tries`. */
async function eventually<T>(fn: () => Promise<T>, tries = 50): Promise<T> {
  let last: unknown
  for (let i = 0; i < tries; i++) {
    try {
      return await fn()
    } catch (err) {
      last = err
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  throw last
}

async function expectRecovered(): Promise<void> {
  const h = await eventually(async () => {
    const r = await store.health()
    if (r.status !== 'healthy') throw new Error(`still ${r.status}`)
    return r
  })
  expect(h.status).toBe('healthy')
  const c = await store.collection('faults')
  expect(await c.count()).toBeGreaterThanOrEqual(200)
  expect(await c.search(vec(3), { k: 1 })).toHaveLength(1)
  await c.upsert([{ id: 'after', vector: vec(999) }])
  expect(await c.get(['after'])).toHaveLength(1)
}

describe('loop', () => {
  it('immediate stop/start x12', async () => {
    for (let k = 0; k < 12; k++) {
      const t = traffic(store, 6)
      await new Promise((r) => setTimeout(r, 200))
      await cluster.stop(k % 2 ? 'immediate' : 'fast')
      await new Promise((r) => setTimeout(r, 200))
      await cluster.start()
      await t.stop()
      await eventually(() => store.health().then((h) => { if (h.status !== 'healthy') throw new Error('x') }))
    }
    console.log('UNEXPECTED', JSON.stringify(unexpected, null, 1))
  }, 300_000)
})
