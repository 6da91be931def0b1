import { isVectorStoreError } from '@vectorkit/core'
import { PostgresStore } from '@vectorkit/postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TcpProxy } from './tcp-proxy'
import { ThrowawayCluster } from './throwaway-cluster'

/**
 * Network faults (issue 6, 3.5): a `node:net` proxy between the pool and a throwaway cluster
 * delays and blackholes traffic. Operations fail with `TIMEOUT` (client-side `queryTimeoutMs`
 * / `connectionTimeoutMs`), the connection that timed out is destroyed rather than reused,
 * and the same store works again as soon as the network does.
 */
let cluster: ThrowawayCluster
let proxy: TcpProxy
let store: PostgresStore
const DIM = 4
const vec = (i: number): number[] => [Math.sin(i), Math.cos(i), i % 7, 1]

beforeAll(async () => {
  cluster = await ThrowawayCluster.create()
  proxy = await TcpProxy.start(cluster.port)
  store = await PostgresStore.connect({
    connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    queryTimeoutMs: 1000,
    connectionTimeoutMs: 1000,
    maxConnections: 2,
    purgeIntervalMs: 0,
  })
  const c = await store.createCollection('net', { dimensions: DIM, metric: 'l2' })
  await c.upsert(Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, vector: vec(i) })))
})

afterAll(async () => {
  proxy.mode = { kind: 'pass' }
  await store?.close()
  await proxy?.close()
  await cluster?.destroy()
})

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (err) {
    if (!isVectorStoreError(err)) throw err
    return err.code
  }
}

/** After the network heals, five operations in a row must succeed at the first try. */
async function expectHealthyAgain(): Promise<void> {
  proxy.mode = { kind: 'pass' }
  const c = await store.collection('net')
  for (let i = 0; i < 5; i++) {
    expect(await c.count()).toBe(50)
    expect(await c.search(vec(i), { k: 1 })).toHaveLength(1)
  }
  expect((await store.health()).status).toBe('healthy')
}

describe('network faults through a TCP proxy', () => {
  it('blackhole: operations fail with TIMEOUT, the broken clients are destroyed, the pool recovers', async () => {
    const c = await store.collection('net')
    expect(await c.count()).toBe(50)
    const closedBefore = proxy.clientClosed
    proxy.mode = { kind: 'blackhole' }
    const codes = await Promise.all([
      codeOf(c.search(vec(1), { k: 3 })),
      codeOf(c.count()),
      codeOf(c.get(['r1'])),
      codeOf(c.upsert([{ id: 'lost', vector: vec(9) }])),
    ])
    expect(
      codes.every((code) => code === 'TIMEOUT'),
      codes.join(),
    ).toBe(true)
    const health = await store.health()
    expect(health.status).not.toBe('healthy')
    // The pool threw the timed-out connections away instead of returning them.
    await new Promise((r) => setTimeout(r, 200))
    expect(proxy.clientClosed).toBeGreaterThan(closedBefore)
    await expectHealthyAgain()
  })

  it('delay beyond queryTimeoutMs is TIMEOUT; a delay below it only slows things down', async () => {
    const c = await store.collection('net')
    proxy.mode = { kind: 'delay', ms: 1500 }
    expect(await codeOf(c.search(vec(2), { k: 2 }))).toBe('TIMEOUT')
    proxy.mode = { kind: 'delay', ms: 50 }
    expect(await c.search(vec(2), { k: 2 })).toHaveLength(2)
    await expectHealthyAgain()
  })

  it('dropped connections: CONNECTION for what was in flight, then recovery', async () => {
    const c = await store.collection('net')
    proxy.mode = { kind: 'delay', ms: 300 }
    const inflight = codeOf(c.search(vec(3), { k: 2 }))
    await new Promise((r) => setTimeout(r, 100))
    proxy.dropAll()
    expect(['CONNECTION', 'ok']).toContain(await inflight)
    await expectHealthyAgain()
  })

  it('a blackholed server at start-up: connect() rejects with TIMEOUT instead of hanging', async () => {
    proxy.mode = { kind: 'blackhole' }
    const err = await PostgresStore.connect({
      connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
      connectionTimeoutMs: 1000,
      queryTimeoutMs: 1000,
      schema: 'other',
    }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'TIMEOUT' })
    await expectHealthyAgain()
  })
})
