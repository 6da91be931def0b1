import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryStore } from '@vectorkit/memory'
import { describe, expect, it } from 'vitest'
import {
  fileCheckpoint,
  isVectorStoreError,
  type MigrationCheckpoint,
  migrate,
  type VectorStore,
} from '../src/index'
import { makeRecords } from './helpers/data'
import { switchable } from './helpers/switchable'

async function seeded(n: number, dim = 8): Promise<VectorStore> {
  const store = await MemoryStore.open()
  const docs = await store.createCollection('docs', { dimensions: dim, metric: 'cosine' })
  const recs = makeRecords(n, dim)
  for (let i = 0; i < recs.length; i += 500) await docs.upsert(recs.slice(i, i + 500))
  const other = await store.createCollection('other', {
    dimensions: 4,
    metric: 'l2',
    index: { type: 'hnsw', profile: 'speed' },
  })
  await other.upsert(makeRecords(30, 4, 2, 'o'))
  return store
}

function memoryCheckpoint() {
  let saved: MigrationCheckpoint | undefined
  return {
    load: async () => saved && structuredClone(saved),
    save: async (c: MigrationCheckpoint) => {
      saved = structuredClone(c)
    },
  }
}

describe('migrate', () => {
  it('copies every collection with its spec, records and metadata, and verifies', async () => {
    const source = await seeded(1234)
    const target = await MemoryStore.open()
    const progress: number[] = []
    const report = await migrate(source, target, {
      batchSize: 100,
      onProgress: (p) => progress.push(p.copied),
    })
    expect(report.ok).toBe(true)
    expect(report.rows).toBe(1234 + 30)
    expect((await target.listCollections()).map((c) => c.name).sort()).toEqual(['docs', 'other'])
    const other = await target.collection('other')
    expect(other.spec).toEqual((await source.collection('other')).spec)
    const docs = report.collections.find((c) => c.name === 'docs')!
    expect(docs.verification).toMatchObject({
      sourceCount: 1234,
      targetCount: 1234,
      countsMatch: true,
      overlapAtK: 1,
    })
    expect(docs.verification!.samples).toBe(20)
    const [a] = await (await source.collection('docs')).get(['r000777'])
    const [b] = await (await target.collection('docs')).get(['r000777'])
    expect(b).toEqual(a)
    expect(progress).toContain(1234)
    await Promise.all([source.close(), target.close()])
  })

  it('copies only the collections asked for, and names a missing one', async () => {
    const source = await seeded(10)
    const target = await MemoryStore.open()
    await migrate(source, target, { collections: ['other'] })
    expect((await target.listCollections()).map((c) => c.name)).toEqual(['other'])
    await expect(migrate(source, target, { collections: ['nope'] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })
  })

  it('refuses to copy into a non-empty target collection unless told to merge or replace', async () => {
    const source = await seeded(20)
    const target = await MemoryStore.open()
    const t = await target.createCollection('docs', { dimensions: 8, metric: 'cosine' })
    await t.upsert(makeRecords(5, 8, 9, 'zz'))
    const err = await migrate(source, target, { collections: ['docs'] }).catch((e) => e)
    expect(isVectorStoreError(err, 'CONFLICT')).toBe(true)
    expect(err.message).toMatch(/already holds 5 records/)
    const merged = await migrate(source, target, { collections: ['docs'], ifExists: 'merge' })
    expect(merged.collections[0]!.verification!.countsMatch).toBe(false)
    expect(merged.ok).toBe(false)
    const replaced = await migrate(source, target, { collections: ['docs'], ifExists: 'replace' })
    expect(replaced.ok).toBe(true)
    expect(await (await target.collection('docs')).count()).toBe(20)
  })

  it('rejects bad options before touching anything', async () => {
    const source = await seeded(5)
    const target = await MemoryStore.open()
    await expect(migrate(source, target, { batchSize: 0 })).rejects.toMatchObject({ code: 'VALIDATION' })
    await expect(migrate(source, target, { resume: true })).rejects.toThrow(/needs a checkpoint/)
    expect(await target.listCollections()).toEqual([])
  })

  it('resumes after a crash mid-copy and re-copies at most one batch', async () => {
    const source = await seeded(1000)
    const [target, sw] = switchable(await MemoryStore.open())
    const checkpoint = memoryCheckpoint()
    sw.failUpsertAt = 4 // batches 1–3 land, the 4th call dies
    await expect(
      migrate(source, target, { collections: ['docs'], batchSize: 100, checkpoint }),
    ).rejects.toMatchObject({ code: 'CONNECTION' })
    const before = sw.upsertedRecords
    expect(before).toBe(300)
    sw.failUpsertAt = undefined
    const report = await migrate(source, target, {
      collections: ['docs'],
      batchSize: 100,
      checkpoint,
      resume: true,
    })
    expect(report.ok).toBe(true)
    expect(report.collections[0]!.resumedAfter).toBe('r000299')
    const recopied = before + report.rows - 1000
    expect(recopied).toBeGreaterThanOrEqual(0)
    expect(recopied).toBeLessThanOrEqual(100)
    // A second resume finds the collection done and copies nothing.
    const again = await migrate(source, target, { collections: ['docs'], checkpoint, resume: true })
    expect(again.rows).toBe(0)
    expect(again.collections[0]!.skipped).toBe(true)
    expect(again.collections[0]!.verification!.countsMatch).toBe(true)
  })

  it('splits batches into parallel upserts and still re-copies at most one batch after a failure', async () => {
    const source = await seeded(3000)
    const [target, sw] = switchable(await MemoryStore.open())
    const checkpoint = memoryCheckpoint()
    sw.failUpsertAt = 4 // batch 1: parts 1–2 land; batch 2: part 3 lands, part 4 fails
    const opts = { collections: ['docs'], batchSize: 1000, concurrency: 2, checkpoint }
    await expect(migrate(source, target, opts)).rejects.toMatchObject({ code: 'CONNECTION' })
    expect(sw.upsertCalls).toBe(4)
    expect(sw.upsertedRecords).toBe(1500)
    sw.failUpsertAt = undefined
    const report = await migrate(source, target, { ...opts, resume: true })
    expect(report.ok).toBe(true)
    expect(report.collections[0]!.resumedAfter).toBe('r000999')
    expect(1500 + report.rows - 3000).toBeLessThanOrEqual(1000)
    await expect(migrate(source, target, { concurrency: 0 })).rejects.toThrow(
      /concurrency must be an integer/,
    )
  })

  it('keeps the checkpoint in a file, and stops between batches when aborted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vk-migrate-'))
    const file = join(dir, 'cp.json')
    const source = await seeded(300)
    const target = await MemoryStore.open()
    const ac = new AbortController()
    const run = migrate(source, target, {
      collections: ['docs'],
      batchSize: 50,
      checkpoint: fileCheckpoint(file),
      signal: ac.signal,
      onProgress: (p) => {
        if (p.batches === 2) ac.abort()
      },
    })
    await expect(run).rejects.toMatchObject({ code: 'CLOSED' })
    const saved = JSON.parse(await readFile(file, 'utf8')) as MigrationCheckpoint
    expect(saved.collections.docs).toMatchObject({ after: 'r000099', copied: 100, done: false })
    const report = await migrate(source, target, {
      collections: ['docs'],
      batchSize: 50,
      checkpoint: fileCheckpoint(file),
      resume: true,
    })
    expect(report.rows).toBe(200)
    expect(report.ok).toBe(true)
  })

  it('reports a torn checkpoint file as CORRUPT_DATA', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vk-migrate-'))
    const file = join(dir, 'cp.json')
    await import('node:fs/promises').then((fs) => fs.writeFile(file, '{"version":1,'))
    await expect(fileCheckpoint(file).load()).rejects.toMatchObject({ code: 'CORRUPT_DATA' })
  })
})
