import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/run-cli'
import { EXIT, type HealthReport, type VectorStore } from '../src/index'
import { CliHarness } from './helpers/cli-io'
import { makeRecords } from './helpers/data'

async function seed(h: CliHarness, name = 'src', n = 250) {
  const s = await h.store(name)
  const docs = await s.createCollection('docs', {
    dimensions: 8,
    metric: 'cosine',
    index: { type: 'hnsw', profile: 'speed' },
  })
  await docs.upsert(makeRecords(n, 8))
  const tags = await s.createCollection('tags', { dimensions: 4, metric: 'l2' })
  await tags.upsert(makeRecords(12, 4, 3, 't'))
  return s
}

async function tmp(name: string) {
  return join(await mkdtemp(join(tmpdir(), 'vk-cli-')), name)
}

describe('vectorkit CLI', () => {
  it('migrate copies, verifies, prints a summary and saves a checkpoint', async () => {
    const h = new CliHarness()
    await seed(h)
    const checkpoint = await tmp('cp.json')
    const r = await h.run([
      'migrate',
      '--from',
      'memory:src',
      '--to',
      'memory:dst',
      '--batch-size',
      '100',
      '--checkpoint',
      checkpoint,
    ])
    expect(r.code).toBe(EXIT.ok)
    expect(r.out).toMatch(/^migrated 262 records from memory:src to memory:dst/)
    expect(r.out).toMatch(/docs: 250 records copied; counts 250 → 250, overlap@10 1\.000/)
    expect(r.err).toMatch(/done \[2\/2\] tags: 12\/12/)
    expect(JSON.parse(await readFile(checkpoint, 'utf8')).collections.docs).toMatchObject({
      done: true,
      copied: 250,
    })
    // Resuming a finished migration copies nothing.
    const again = await h.run([
      'migrate',
      '--from',
      'memory:src',
      '--to',
      'memory:dst',
      '--checkpoint',
      checkpoint,
      '--resume',
      '--json',
    ])
    expect(again.code).toBe(EXIT.ok)
    expect(JSON.parse(again.out)).toMatchObject({ ok: true, rows: 0 })
  })

  it('migrate exits 4 on a non-empty target and 5 when verification fails', async () => {
    const h = new CliHarness()
    await seed(h)
    const dst = await h.store('dst')
    await (
      await dst.createCollection('docs', {
        dimensions: 8,
        metric: 'cosine',
        index: { type: 'hnsw', profile: 'speed' },
      })
    ).upsert(makeRecords(3, 8, 5, 'extra'))
    const base = [
      'migrate',
      '--from',
      'memory:src',
      '--to',
      'memory:dst',
      '-c',
      'docs',
      '--checkpoint',
      await tmp('cp.json'),
    ]
    const conflict = await h.run(base)
    expect(conflict.code).toBe(EXIT.data)
    expect(conflict.err).toMatch(/already holds 3 records.*\[CONFLICT\]/)
    const merged = await h.run([...base, '--merge'])
    expect(merged.code).toBe(EXIT.verifyFailed)
    expect(merged.out).toMatch(/counts 250 → 253 MISMATCH/)
  })

  it('export and import round-trip through a file and through stdin', async () => {
    const h = new CliHarness()
    const src = await seed(h)
    const file = await tmp('dump.ndjson')
    const ex = await h.run(['export', '--from', 'memory:src', '-o', file, '-c', 'tags'])
    expect(ex.code).toBe(EXIT.ok)
    expect(ex.err).toMatch(/exported 12 records in 1 collections/)
    const im = await h.run(['import', '--to', 'memory:dst', '-i', file])
    expect(im.code).toBe(EXIT.ok)
    expect(im.err).toMatch(/imported 12 records into tags \(12\)/)
    const ids = makeRecords(12, 4, 3, 't').map((r) => r.id)
    expect(await (await (await h.store('dst')).collection('tags')).get(ids)).toEqual(
      await (await src.collection('tags')).get(ids),
    )
    // Same dump through stdin; json vectors to stdout.
    const text = await readFile(file, 'utf8')
    expect((await h.run(['import', '--to', 'memory:other'], { input: text })).code).toBe(EXIT.ok)
    const json = await h.run(['export', '--from', 'memory:other', '--vector-format', 'json', '-q'])
    expect(json.out.split('\n')[2]).toMatch(/^\{"id":"t000000","vector":\[/)
    const again = await h.run(['import', '--to', 'memory:dst', '-i', file])
    expect(again.code).toBe(EXIT.data)
    expect((await h.run(['import', '--to', 'memory:dst', '-i', file, '--replace'])).code).toBe(EXIT.ok)
  })

  it('import names the line of a corrupt file and exits 4', async () => {
    const h = new CliHarness()
    const r = await h.run(['import', '--to', 'memory:x'], {
      input:
        '{"vectorkit":"ndjson","version":1}\n{"collection":"c","spec":{"dimensions":2,"metric":"l2"}}\n{broken\n',
    })
    expect(r.code).toBe(EXIT.data)
    expect(r.err).toMatch(/vectorkit: line 3: not valid JSON \[CORRUPT_DATA\]/)
  })

  it('stats lists collections, counts and index parameters', async () => {
    const h = new CliHarness()
    await seed(h)
    const r = await h.run(['stats', 'memory:src'])
    expect(r.code).toBe(EXIT.ok)
    expect(r.out).toMatch(/backend: memory, 2 collections/)
    expect(r.out).toMatch(
      /docs: 250 records, 8 dims, cosine, hnsw m=16 efConstruction=64 efSearch=40 quantization=none/,
    )
    expect(r.out).toMatch(/tags: 12 records, 4 dims, l2, flat/)
    const json = JSON.parse((await h.run(['stats', 'memory:src', '--json'])).out)
    expect(json.collections.map((c: { count: number }) => c.count)).toEqual([250, 12])
  })

  it('health exits 0 healthy, 6 degraded, 7 unhealthy', async () => {
    const h = new CliHarness()
    expect(await h.run(['health', 'memory:a'])).toMatchObject({
      code: EXIT.ok,
      out: expect.stringMatching(/^memory: healthy/),
    })
    for (const [status, code] of [
      ['degraded', EXIT.degraded],
      ['unhealthy', EXIT.unhealthy],
    ] as const) {
      const report: HealthReport = {
        status,
        backend: 'fake',
        checks: [{ name: 'disk', status, message: 'slow' }],
      }
      const fake = { health: async () => report, close: async () => {} } as unknown as VectorStore
      const r = await h.run(['health', 'memory:a'], { openStore: async () => fake })
      expect(r.code).toBe(code)
      expect(r.out).toMatch(new RegExp(`${status}\\s+disk — slow`))
    }
  })

  it('exits 2 on usage errors and 4 on a missing collection', async () => {
    const h = new CliHarness()
    await seed(h)
    expect((await h.run(['frobnicate'])).code).toBe(EXIT.usage)
    expect((await h.run(['migrate', '--to', 'memory:b'])).code).toBe(EXIT.usage)
    expect(
      (await h.run(['migrate', '--from', 'memory:src', '--to', 'memory:b', '--concurrency', '17'])).code,
    ).toBe(EXIT.usage)
    const bad = await h.run(['migrate', '--from', 'memory:src', '--to', 'memory:b', '--batch-size', '0'])
    expect(bad.code).toBe(EXIT.usage)
    expect(bad.err).toMatch(/expected an integer from 1 to 10000/)
    expect((await h.run(['--help'])).code).toBe(EXIT.ok)
    const missing = await h.run(['export', '--from', 'memory:src', '-c', 'nope', '-q'])
    expect(missing.code).toBe(EXIT.data)
    expect(missing.err).toMatch(/no collection named nope to export \[NOT_FOUND\]/)
  })

  it('exits 2 for a bad store URL and 3 when PostgreSQL cannot be reached', async () => {
    const err = new PassThrough()
    let text = ''
    err.on('data', (c: Buffer) => {
      text += c.toString()
    })
    expect(await runCli(['stats', 'redis://x'], { env: {}, stderr: err, stdout: new PassThrough() })).toBe(
      EXIT.usage,
    )
    const code = await runCli(['health', 'postgres://nobody:secret@127.0.0.1:1/none'], {
      env: {},
      stderr: err,
      stdout: new PassThrough(),
    })
    expect(code).toBe(EXIT.unreachable)
    expect(text).toMatch(/\[CONNECTION\]/)
    expect(text).toMatch(/caused by: /)
    expect(text).not.toMatch(/secret/)
  })
})
