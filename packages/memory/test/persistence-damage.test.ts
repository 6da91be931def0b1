import { cpSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { logHeader } from '../src/persistence/file-format'
import { dump, records, tempDirs } from './persistence-helpers'

const dirs = tempDirs()
afterEach(() => dirs.cleanup())

type Damage = 'truncated' | 'zero-filled' | 'bit-flipped'
const damages: Damage[] = ['truncated', 'zero-filled', 'bit-flipped']

function damage(file: string, how: Damage, at = 0.5): void {
  const bytes = readFileSync(file)
  const pos = Math.floor(bytes.length * at)
  if (how === 'truncated') truncateSync(file, pos)
  else if (how === 'zero-filled') writeFileSync(file, new Uint8Array(bytes.length))
  else {
    bytes[pos]! ^= 0x10
    writeFileSync(file, bytes)
  }
}

/**
 * A directory with two snapshot generations and writes after the newest: gen 1 and 2
 * snapshots, logs 1 and 2 (log 2 holds the last batch). Returns what the store held.
 */
async function populated(): Promise<{ path: string; expected: Map<string, unknown> }> {
  const path = dirs.make()
  const s = await MemoryStore.open({ path, fsync: 'always', snapshotIntervalMs: 0 })
  const c = await s.createCollection('docs', { dimensions: 6, metric: 'l2', index: { type: 'hnsw', m: 8 } })
  await c.upsert(records(120, 6, 1, 'a'))
  await s.checkpoint()
  await c.upsert(records(80, 6, 2, 'b'))
  await c.delete(['a1', 'b2'])
  await s.checkpoint()
  await c.upsert(records(40, 6, 3, 'c'))
  await c.upsert(records(40, 6, 4, 'd'))
  const expected = await dump(c)
  // With fsync 'always' every acknowledged write is on disk: a copy of the live directory
  // (without its lock) is exactly what a crash at this point would leave behind.
  const crashed = dirs.make()
  cpSync(path, crashed, { recursive: true, filter: (src) => !src.endsWith('LOCK') })
  await s.close()
  expect(readdirSync(crashed).sort()).toEqual([
    'snap-0000000001.vks',
    'snap-0000000002.vks',
    'wal-0000000001.log',
    'wal-0000000002.log',
  ])
  return { path: crashed, expected }
}

async function reopen(path: string) {
  const s = await MemoryStore.open({ path, snapshotIntervalMs: 0 })
  const got = await dump(await s.collection('docs'))
  const recovery = s.recovery!
  await s.close()
  return { got, recovery }
}

describe.each(damages)('damaged files (%s)', (how) => {
  it('a damaged newest snapshot falls back to the previous generation and loses nothing', async () => {
    const { path, expected } = await populated()
    damage(join(path, 'snap-0000000002.vks'), how)
    const { got, recovery } = await reopen(path)
    expect(got).toEqual(expected)
    expect(recovery.snapshotGeneration).toBe(1)
    expect(recovery.skippedSnapshots.map((s) => s.file)).toEqual(['snap-0000000002.vks'])
    expect(readdirSync(path)).toContain('snap-0000000002.vks.corrupt')
  })

  it('both snapshots damaged and the full history gone is CORRUPT_DATA, never an empty store', async () => {
    const { path } = await populated()
    damage(join(path, 'snap-0000000002.vks'), how)
    damage(join(path, 'snap-0000000001.vks'), how, 0.3)
    const err = await MemoryStore.open({ path }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'CORRUPT_DATA' })
    expect((err as Error).message).toContain('no usable snapshot')
  })

  it('a damaged older log needed by the fallback is CORRUPT_DATA', async () => {
    const { path } = await populated()
    damage(join(path, 'snap-0000000002.vks'), 'bit-flipped')
    damage(join(path, 'wal-0000000001.log'), how, 0.4)
    await expect(MemoryStore.open({ path })).rejects.toMatchObject({ code: 'CORRUPT_DATA' })
  })
})

describe('damaged newest log', () => {
  it('a bit flip inside the newest log (not at its end) is CORRUPT_DATA', async () => {
    const { path } = await populated()
    damage(join(path, 'wal-0000000002.log'), 'bit-flipped', 0.3)
    await expect(MemoryStore.open({ path })).rejects.toMatchObject({ code: 'CORRUPT_DATA' })
  })

  it('a zero-filled newest log is CORRUPT_DATA', async () => {
    const { path } = await populated()
    damage(join(path, 'wal-0000000002.log'), 'zero-filled')
    await expect(MemoryStore.open({ path })).rejects.toMatchObject({ code: 'CORRUPT_DATA' })
  })

  it('a log truncated inside its last record is a torn tail: earlier records kept, the torn one cut', async () => {
    const { path, expected } = await populated()
    const wal = join(path, 'wal-0000000002.log')
    truncateSync(wal, statSync(wal).size - 10)
    const { got, recovery } = await reopen(path)
    expect(recovery.tornTailBytes).toBeGreaterThan(0)
    const withoutLast = new Map([...expected].filter(([id]) => !id.startsWith('d')))
    expect(got).toEqual(withoutLast)
    // The cut is permanent: the next open sees a clean log.
    const again = await reopen(path)
    expect(again.recovery.tornTailBytes).toBe(0)
  })

  it('a missing log between a snapshot and a newer log is CORRUPT_DATA', async () => {
    const { path } = await populated()
    damage(join(path, 'snap-0000000002.vks'), 'truncated')
    unlinkSync(join(path, 'wal-0000000001.log'))
    await expect(MemoryStore.open({ path })).rejects.toMatchObject({ code: 'CORRUPT_DATA' })
  })
})

describe('crash while starting a generation', () => {
  it.each([
    ['header-only', (gen: number) => logHeader(gen)],
    ['empty', () => new Uint8Array(0)],
    ['half a header', (gen: number) => logHeader(gen).subarray(0, 7)],
  ])('an unsealed log followed by a %s newer log opens with everything', async (_name, content) => {
    const { path, expected } = await populated()
    // The rotation to generation 3 had created its log but not yet sealed log 2.
    writeFileSync(join(path, 'wal-0000000003.log'), content(3))
    const { got, recovery } = await reopen(path)
    expect(got).toEqual(expected)
    expect(recovery.droppedEmptyLogs).toBe(1)
  })

  it('a first log cut inside its header is a new, empty store', async () => {
    const path = dirs.make()
    writeFileSync(join(path, 'wal-0000000000.log'), logHeader(0).subarray(0, 5))
    const s = await MemoryStore.open({ path })
    expect(s.recovery?.created).toBe(true)
    await s.close()
  })
})
