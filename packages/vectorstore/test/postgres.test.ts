import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { MemoryStore } from '@vectorkit/memory'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  getTestDatabase,
  markPostgresTestRan,
  requireRealPostgres,
  type TestDatabase,
} from '../../postgres/test/test-database'
import {
  createRolloutStore,
  createVectorStore,
  type MigrationCheckpoint,
  migrate,
  withCallerKey,
} from '../src/index'
import { makeRecords } from './helpers/data'
import { switchable } from './helpers/switchable'

// The facade, migrate and the CLI against a real PostgreSQL with pgvector (issue 8).
let db: TestDatabase
beforeAll(async () => {
  db = await getTestDatabase()
  markPostgresTestRan(db, 'vectorstore-postgres')
})
afterAll(async () => {
  await db?.cleanup()
})

const root = fileURLToPath(new URL('../../../', import.meta.url))
const cliArgs = ['--conditions=source', '--import', 'tsx', join(root, 'packages/vectorstore/src/cli.ts')]
const run = promisify(execFile)
const urlFor = (schema: string) => `${db.url}${db.url.includes('?') ? '&' : '?'}schema=${schema}`

describe('facade on PostgreSQL', () => {
  it('selects postgres from the environment and round-trips data', async () => {
    const schema = db.newSchema('vs_env')
    const store = await createVectorStore({
      env: {
        VECTORKIT_BACKEND: 'postgres',
        VECTORKIT_DATABASE_URL: db.url,
        VECTORKIT_POSTGRES_SCHEMA: schema,
      },
    })
    expect(store.backend).toBe('postgres')
    const docs = await store.createCollection('docs', { dimensions: 8, metric: 'cosine' })
    await docs.upsert(makeRecords(40, 8))
    const hits = await docs.search(makeRecords(1, 8)[0]!.vector, { k: 3, filter: { group: 'a' } })
    expect(hits[0]!.id).toBe('r000000')
    expect(hits.every((h) => h.metadata?.group === 'a')).toBe(true)
    await store.close()
  }, 120_000)

  it('migrates memory to PostgreSQL with a bulk load and verifies counts and search agreement', async () => {
    const source = await MemoryStore.open()
    const docs = await source.createCollection('docs', {
      dimensions: 16,
      metric: 'cosine',
      index: { type: 'hnsw' },
    })
    const recs = makeRecords(3000, 16)
    for (let i = 0; i < recs.length; i += 1000) await docs.upsert(recs.slice(i, i + 1000))
    const target = await createVectorStore({
      backend: 'postgres',
      databaseUrl: db.url,
      postgres: { schema: db.newSchema('vs_mig') },
      env: false,
    })
    const report = await migrate(source, target, { batchSize: 500 })
    expect(report.ok).toBe(true)
    const c = report.collections[0]!
    expect(c.verification).toMatchObject({
      sourceCount: 3000,
      targetCount: 3000,
      countsMatch: true,
      samples: 20,
    })
    expect(c.verification!.overlapAtK).toBeGreaterThan(0.7)
    expect(c.indexMs).toBeGreaterThan(0) // the bulk-load path built the index once, at the end
    expect((await target.collection('docs')).spec).toEqual(docs.spec)
    const [a] = await docs.get(['r001234'])
    const [b] = await (await target.collection('docs')).get(['r001234'])
    expect(b!.metadata).toEqual(a!.metadata)
    expect(Array.from(b!.vector)).toEqual(Array.from(a!.vector))
    await Promise.all([source.close(), target.close()])
  }, 120_000)
})

describe('rollout from memory to PostgreSQL', () => {
  it('queues writes while PostgreSQL is unreachable and replays them in order when it is back', async () => {
    const memory = await MemoryStore.open()
    const pg = await createVectorStore({
      backend: 'postgres',
      databaseUrl: db.url,
      postgres: { schema: db.newSchema('vs_roll') },
      env: false,
    })
    const [secondary, sw] = switchable(pg)
    const store = createRolloutStore({
      primary: memory,
      secondary,
      readPercent: 50,
      shadow: true,
      retryMs: 60_000,
    })
    const docs = await store.createCollection('docs', {
      dimensions: 8,
      metric: 'cosine',
      index: { type: 'hnsw' },
    })
    await docs.upsert(makeRecords(100, 8))
    sw.down = true
    await docs.upsert(makeRecords(50, 8, 2, 'late'))
    await docs.delete({ filter: { group: 'a' } })
    expect((await store.health()).status).toBe('degraded')
    sw.down = false
    expect(await store.drain()).toBe(true)
    const onPg = await pg.collection('docs')
    expect(await onPg.count()).toBe(await (await memory.collection('docs')).count())
    expect(await onPg.count({ group: 'a' })).toBe(0)
    for (let i = 0; i < 20; i++)
      await withCallerKey(`u${i}`, () => docs.search(makeRecords(1, 8, 100 + i)[0]!.vector, { k: 5 }))
    await store.settled()
    expect(store.shadowStats()).toMatchObject({ reads: 20, errors: 0 })
    expect(store.shadowStats().meanOverlap).toBeGreaterThan(0.8)
    await store.close()
    await Promise.all([memory.close(), pg.close()])
  }, 120_000)
})

describe('vectorkit migrate, killed and resumed', () => {
  it('re-copies at most one batch after a SIGKILL (memory:./dir → postgres://)', async (ctx) => {
    requireRealPostgres(db, ctx)
    const total = 20_000
    const batch = 250
    const dir = await mkdtemp(join(tmpdir(), 'vk-kill-src-'))
    const from = `memory:${dir}`
    const to = urlFor(db.newSchema('vs_kill_dst'))
    const source = await createVectorStore({ backend: 'memory', path: dir, env: false })
    const col = await source.createCollection('docs', { dimensions: 32, metric: 'l2' })
    const recs = makeRecords(total, 32)
    for (let i = 0; i < total; i += 5000) await col.upsert(recs.slice(i, i + 5000))
    await source.close() // the CLI child opens the persisted directory
    const checkpoint = join(await mkdtemp(join(tmpdir(), 'vk-kill-')), 'cp.json')
    const args = [
      ...cliArgs,
      'migrate',
      '--from',
      from,
      '--to',
      to,
      '--batch-size',
      String(batch),
      '--checkpoint',
      checkpoint,
      '-q',
    ]

    const child: ChildProcess = spawn(process.execPath, args, { cwd: root, stdio: 'ignore' })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    // Kill it once a few batches are in, at whatever instant that turns out to be.
    let killedMidway = false
    for (let i = 0; i < 3000 && child.exitCode === null; i++) {
      const cp = await readFile(checkpoint, 'utf8').then(
        (t) => JSON.parse(t) as MigrationCheckpoint,
        () => undefined,
      )
      const copied = cp?.collections.docs?.copied ?? 0
      if (copied >= batch * 8) {
        killedMidway = child.kill('SIGKILL') && copied < total
        break
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    await exited
    expect(killedMidway).toBe(true)
    const target = await createVectorStore({
      backend: 'postgres',
      databaseUrl: db.url,
      postgres: { schema: new URL(to).searchParams.get('schema')! },
      env: false,
    })
    const inTarget = await (await target.collection('docs')).count()
    expect(inTarget).toBeLessThan(total)

    const resumed = await run(process.execPath, [...args, '--resume', '--json'], { cwd: root })
    const report = JSON.parse(resumed.stdout)
    expect(report.ok).toBe(true)
    const recopied = inTarget + report.rows - total
    expect(recopied).toBeGreaterThanOrEqual(0)
    expect(recopied).toBeLessThanOrEqual(batch)
    expect(report.collections[0].verification).toMatchObject({
      sourceCount: total,
      targetCount: total,
      overlapAtK: 1,
    })
    await target.close()
  }, 120_000)
})
