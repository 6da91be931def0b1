import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { isVectorStoreError } from '@vectorkit/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HnswIndex } from '../src/hnsw-index'
import { MemoryStore } from '../src/index'
import { dump, records, tempDirs } from './persistence-helpers'

const dirs = tempDirs()
afterEach(() => dirs.cleanup())

const hnsw = { type: 'hnsw' as const, m: 8, efConstruction: 64 }

describe.each(['always', 'interval', 'never'] as const)('MemoryStore persistence (fsync %s)', (fsync) => {
  it('keeps collections, records, metadata, expiry and deletes across close and reopen', async () => {
    const path = dirs.make()
    const a = await MemoryStore.open({ path, fsync })
    expect(a.capabilities.persistence).toBe(true)
    expect(a.recovery?.created).toBe(true)
    const c = await a.createCollection('docs', { dimensions: 8, metric: 'cosine', index: hnsw })
    const f = await a.createCollection('flat', { dimensions: 4, metric: 'l2' })
    await c.upsert(records(300, 8, 1))
    await f.upsert([{ id: 'x', vector: [1, 2, 3, 4], expiresAt: new Date('2099-01-01') }])
    await c.delete(['r1', 'r2'])
    await a.createCollection('dropped', { dimensions: 2, metric: 'dot' })
    await a.dropCollection('dropped')
    const before = await dump(c)
    const hitsBefore = await c.search(before.get('r10')!.vector, { k: 5 })
    await a.close()

    const b = await MemoryStore.open({ path, fsync })
    expect(b.recovery?.created).toBe(false)
    expect(b.recovery?.snapshotGeneration).toBe(1)
    expect((await b.listCollections()).map((x) => x.name)).toEqual(['docs', 'flat'])
    const c2 = await b.collection('docs')
    expect(await dump(c2)).toEqual(before)
    expect(await c2.search(before.get('r10')!.vector, { k: 5 })).toEqual(hitsBefore)
    const [x] = await (await b.collection('flat')).get(['x'])
    expect(x?.expiresAt?.toISOString()).toBe('2099-01-01T00:00:00.000Z')
    await b.close()
  })

  it('recovers from the log alone when the process dies without close()', async () => {
    const path = dirs.make()
    const a = await MemoryStore.open({ path, fsync })
    const c = await a.createCollection('docs', { dimensions: 8, metric: 'l2', index: hnsw })
    await c.upsert(records(50, 8, 2))
    await c.delete(['r3'])
    const before = await dump(c)
    // Simulate a crash: drop the lock as a dead process would leave it, never call close().
    writeFileSync(
      join(path, 'LOCK'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: 'x' }),
    )
    const b = await MemoryStore.open({ path, fsync })
    expect(b.recovery?.snapshotGeneration).toBe(0)
    expect(b.recovery?.replayedRecords).toBe(3)
    expect(await dump(await b.collection('docs'))).toEqual(before)
    await b.close()
    await a.close().catch(() => {})
  })
})

describe('MemoryStore persistence: generations, lock, close', () => {
  it('keeps the previous generation and the logs since it', async () => {
    const path = dirs.make()
    const s = await MemoryStore.open({ path, fsync: 'never' })
    const c = await s.createCollection('docs', { dimensions: 4, metric: 'l2' })
    for (let g = 0; g < 4; g++) {
      await c.upsert(records(5, 4, g, `g${g}-`))
      await s.checkpoint()
    }
    expect(readdirSync(path).sort()).toEqual([
      'LOCK',
      'snap-0000000003.vks',
      'snap-0000000004.vks',
      'wal-0000000003.log',
      'wal-0000000004.log',
    ])
    await s.close()
    expect(readdirSync(path)).not.toContain('LOCK')
  })

  it('refuses a second writer with CONFLICT naming the holder, then allows it after close', async () => {
    const path = dirs.make()
    const a = await MemoryStore.open({ path })
    const err = await MemoryStore.open({ path }).catch((e: unknown) => e)
    expect(isVectorStoreError(err, 'CONFLICT')).toBe(true)
    expect((err as Error).message).toContain(`pid ${process.pid} on host ${hostname()}`)
    await a.close()
    const b = await MemoryStore.open({ path })
    await b.close()
  })

  it('a lock held by another live process is CONFLICT naming it; a dead holder is taken over', async () => {
    const path = dirs.make()
    await (await MemoryStore.open({ path })).close()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    try {
      const holder = { pid: other.pid, host: hostname(), startedAt: '2030-01-01T00:00:00.000Z' }
      writeFileSync(join(path, 'LOCK'), JSON.stringify(holder))
      const err = await MemoryStore.open({ path }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'CONFLICT', details: { holder } })
      expect((err as Error).message).toContain(`pid ${other.pid} on host ${hostname()} since 2030-01-01`)
    } finally {
      other.kill('SIGKILL')
      await new Promise((r) => other.once('exit', r))
    }
    const s = await MemoryStore.open({ path })
    expect(JSON.parse(readFileSync(join(path, 'LOCK'), 'utf8')).pid).toBe(process.pid)
    await s.close()
  })

  it('close() waits for in-flight writes, is idempotent, and later use is CLOSED', async () => {
    const path = dirs.make()
    const s = await MemoryStore.open({ path, fsync: 'always' })
    const c = await s.createCollection('docs', { dimensions: 4, metric: 'l2' })
    const writes = Array.from({ length: 20 }, (_, i) => c.upsert(records(3, 4, i, `w${i}-`)))
    const closing = s.close()
    await Promise.all(writes)
    await closing
    await s.close()
    await expect(c.count()).rejects.toMatchObject({ code: 'CLOSED' })
    await expect(s.checkpoint()).rejects.toMatchObject({ code: 'CLOSED' })
    const again = await MemoryStore.open({ path })
    expect(await (await again.collection('docs')).count()).toBe(60)
    await again.close()
  })

  it('loads the HNSW graph from the snapshot instead of re-inserting (no insert on open)', async () => {
    const path = dirs.make()
    const s = await MemoryStore.open({ path, hnswMinRows: 0 })
    const c = await s.createCollection('g', { dimensions: 8, metric: 'l2', index: hnsw })
    await c.upsert(records(400, 8, 9))
    const before = await c.stats()
    await s.close()
    const insert = vi.spyOn(HnswIndex.prototype, 'insert')
    try {
      const again = await MemoryStore.open({ path, hnswMinRows: 0 })
      expect(insert).not.toHaveBeenCalled()
      const after = await (await again.collection('g')).stats()
      expect(after.details?.maxLevel).toBe(before.details?.maxLevel)
      expect(after.details?.graphBytes).toBe(before.details?.graphBytes)
      await again.close()
    } finally {
      insert.mockRestore()
    }
  })

  it('takes snapshots on its timer and when the log outgrows snapshotLogBytes', async () => {
    const waitFor = async (file: string, path: string): Promise<void> => {
      for (let i = 0; i < 200 && !readdirSync(path).includes(file); i++)
        await new Promise((r) => setTimeout(r, 25))
      expect(readdirSync(path)).toContain(file)
    }
    const timed = dirs.make()
    const a = await MemoryStore.open({ path: timed, snapshotIntervalMs: 30 })
    await (await a.createCollection('t', { dimensions: 2, metric: 'l2' })).upsert([
      { id: 'x', vector: [1, 2] },
    ])
    await waitFor('snap-0000000001.vks', timed)
    await a.close()
    const sized = dirs.make()
    const b = await MemoryStore.open({ path: sized, snapshotIntervalMs: 0, snapshotLogBytes: 4096 })
    const c = await b.createCollection('t', { dimensions: 16, metric: 'l2' })
    await c.upsert(records(100, 16, 1))
    await waitFor('snap-0000000001.vks', sized)
    const h = await b.health()
    expect(h.checks.find((x) => x.name === 'persistence')).toMatchObject({
      status: 'healthy',
      details: { fsync: 'interval' },
    })
    await b.close()
  })

  it.each([
    ['before calibration', 300],
    ['after calibration', 1500],
  ])('keeps int8-quantized HNSW collections exactly (%s)', async (_label, n) => {
    const path = dirs.make()
    const s = await MemoryStore.open({ path })
    const c = await s.createCollection('q', {
      dimensions: 16,
      metric: 'cosine',
      index: { type: 'hnsw', m: 8, quantization: 'int8' },
    })
    await c.upsert(records(n, 16, 5))
    await c.delete(['r7'])
    const queries = records(5, 16, 6, 'q')
    const hits = await Promise.all(queries.map((q) => c.search(q.vector, { k: 10 })))
    const stats = await c.stats()
    const before = await dump(c)
    await s.close()
    const again = await MemoryStore.open({ path })
    const c2 = await again.collection('q')
    expect(await dump(c2)).toEqual(before)
    expect(await Promise.all(queries.map((q) => c2.search(q.vector, { k: 10 })))).toEqual(hits)
    // Byte counts may differ (arrays are re-allocated to fit); everything else must not.
    const facts = (d: Record<string, unknown> | undefined) =>
      Object.fromEntries(Object.entries(d ?? {}).filter(([k]) => !/bytes/i.test(k)))
    expect(facts((await c2.stats()).details)).toEqual(facts(stats.details))
    await again.close()
  })

  it('rejects bad options with VALIDATION before touching the disk', async () => {
    await expect(MemoryStore.open({ path: '' })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(MemoryStore.open({ path: dirs.make(), fsync: 'sometimes' as never })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
    await expect(MemoryStore.open({ path: dirs.make(), fsyncIntervalMs: -1 })).rejects.toMatchObject({
      code: 'VALIDATION',
    })
  })

  it('purges expired records through the log, so they stay purged after reopening', async () => {
    const path = dirs.make()
    let now = Date.parse('2030-01-01')
    const s = await MemoryStore.open({ path, clock: () => now, ttlSweepIntervalMs: 0 })
    const c = await s.createCollection('mem', { dimensions: 2, metric: 'l2' })
    await c.upsert([
      { id: 'old', vector: [1, 1], expiresAt: new Date(now + 1000) },
      { id: 'keep', vector: [0, 1] },
    ])
    now += 2000
    expect(await c.count()).toBe(1)
    await new Promise((r) => setTimeout(r, 20))
    expect((await c.stats()).details?.expiredNotPurged).toBe(0)
    await s.close()
    const again = await MemoryStore.open({ path, clock: () => now })
    const c2 = await again.collection('mem')
    expect((await c2.stats()).details?.expiredNotPurged).toBe(0)
    expect((await c2.get(['old', 'keep'])).map((r) => r.id)).toEqual(['keep'])
    await again.close()
  })
})
