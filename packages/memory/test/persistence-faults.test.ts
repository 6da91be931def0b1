import { cpSync, readdirSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { createFaultyFs, type FsOp } from '../src/persistence/index'
import { dump, records, tempDirs } from './persistence-helpers'

const dirs = tempDirs()
afterEach(() => dirs.cleanup())

const spec = { dimensions: 5, metric: 'cosine' as const, index: { type: 'hnsw' as const, m: 8 } }

/** Opens a copy of `path` (without the lock) and returns its contents and recovery report. */
async function openCopy(path: string) {
  const copy = dirs.make()
  cpSync(path, copy, { recursive: true, filter: (src) => !src.endsWith('LOCK') })
  const s = await MemoryStore.open({ path: copy })
  const got = await dump(await s.collection('docs'))
  const recovery = s.recovery!
  await s.close()
  return { got, recovery }
}

const snapshotFaults: { op: FsOp; code: string; expectCode: string }[] = [
  { op: 'write', code: 'EIO', expectCode: 'INTERNAL' },
  { op: 'write', code: 'ENOSPC', expectCode: 'RESOURCE_EXHAUSTED' },
  { op: 'fsync', code: 'EIO', expectCode: 'INTERNAL' },
  { op: 'fsync', code: 'ENOSPC', expectCode: 'RESOURCE_EXHAUSTED' },
  { op: 'rename', code: 'EPERM', expectCode: 'INTERNAL' },
]

describe.each(snapshotFaults)('snapshot save with $op failing ($code)', ({ op, code, expectCode }) => {
  it('rejects, leaves no temporary file, and the prior snapshot stays loadable', async () => {
    const path = dirs.make()
    const fs = createFaultyFs()
    const s = await MemoryStore.open({ path, fs, fsync: 'always', snapshotIntervalMs: 0 })
    const c = await s.createCollection('docs', spec)
    await c.upsert(records(60, 5, 1))
    await s.checkpoint()
    await c.upsert(records(30, 5, 2, 'late'))
    const expected = await dump(c)

    fs.inject({ op, code, file: /^snap-/ })
    const err = await s.checkpoint().catch((e: unknown) => e)
    expect(err).toMatchObject({ code: expectCode, details: { errno: code } })
    expect(fs.fired).toBe(1)
    expect(readdirSync(path).filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect((await s.health()).checks.find((x) => x.name === 'persistence')?.status).toBe('degraded')

    // The prior snapshot (generation 1) is intact and, with the logs, loses nothing.
    const { got, recovery } = await openCopy(path)
    expect(recovery.snapshotGeneration).toBe(1)
    expect(recovery.skippedSnapshots).toEqual([])
    expect(got).toEqual(expected)

    // The store keeps working and the next save succeeds.
    await c.upsert(records(5, 5, 3, 'after'))
    await s.checkpoint()
    expect((await s.health()).status).toBe('healthy')
    const final = await dump(c)
    await s.close()
    const again = await MemoryStore.open({ path })
    expect(await dump(await again.collection('docs'))).toEqual(final)
    await again.close()
  })
})

describe('write-ahead log faults', () => {
  it.each([
    ['EIO', 'INTERNAL'],
    ['ENOSPC', 'RESOURCE_EXHAUSTED'],
  ])(
    'a failed append (%s) rejects the write and applies nothing; the log stays usable',
    async (code, expectCode) => {
      const path = dirs.make()
      const fs = createFaultyFs()
      const s = await MemoryStore.open({ path, fs, fsync: 'always' })
      const c = await s.createCollection('docs', spec)
      await c.upsert(records(10, 5, 1))
      fs.inject({ op: 'writeSync', code, file: /^wal-/ })
      await expect(c.upsert(records(10, 5, 2, 'lost'))).rejects.toMatchObject({ code: expectCode })
      expect(await c.count()).toBe(10)
      await c.upsert(records(3, 5, 3, 'ok'))
      const expected = await dump(c)
      const { got } = await openCopy(path)
      expect(got).toEqual(expected)
      await s.close()
    },
  )

  it('a failed fsync (always) rejects the write, fails the log for good and reports unhealthy', async () => {
    const path = dirs.make()
    const fs = createFaultyFs()
    const s = await MemoryStore.open({ path, fs, fsync: 'always' })
    const c = await s.createCollection('docs', spec)
    await c.upsert(records(10, 5, 1))
    fs.inject({ op: 'fsync', code: 'EIO', file: /^wal-/ })
    await expect(c.upsert(records(2, 5, 2, 'x'))).rejects.toMatchObject({ code: 'INTERNAL' })
    await expect(c.upsert(records(2, 5, 3, 'y'))).rejects.toMatchObject({ code: 'INTERNAL' })
    const h = await s.health()
    expect(h.status).toBe('unhealthy')
    expect(h.checks.find((x) => x.name === 'persistence')?.message).toContain('EIO')
    // Acknowledged writes survive (they were fsynced before the fault).
    const { got } = await openCopy(path)
    expect([...got.keys()].filter((id) => id.startsWith('r'))).toHaveLength(10)
    await s.close().catch(() => {})
    const again = await MemoryStore.open({ path })
    expect(await (await again.collection('docs')).count()).toBeGreaterThanOrEqual(10)
    await again.close()
  })

  it('close() with a failing final snapshot rejects but releases the lock, and nothing is lost', async () => {
    const path = dirs.make()
    const fs = createFaultyFs()
    const s = await MemoryStore.open({ path, fs, fsync: 'interval' })
    const c = await s.createCollection('docs', spec)
    await c.upsert(records(25, 5, 1))
    const expected = await dump(c)
    fs.inject({ op: 'rename', code: 'EPERM', file: /^snap-/ })
    await expect(s.close()).rejects.toMatchObject({ code: 'INTERNAL' })
    await s.close()
    const again = await MemoryStore.open({ path })
    expect(await dump(await again.collection('docs'))).toEqual(expected)
    await again.close()
  })
})
