import { PassThrough, Readable } from 'node:stream'
import { MemoryStore } from '@vectorkit/memory'
import { describe, expect, it } from 'vitest'
import { exportStore, importStore, parseLine, type VectorStore } from '../src/index'
import { makeRecords } from './helpers/data'

async function collect(store: VectorStore, encoding: 'base64' | 'json' = 'base64'): Promise<string> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  await exportStore(store, out, { vectorEncoding: encoding, batchSize: 7 })
  out.end()
  return Buffer.concat(chunks).toString('utf8')
}

async function source(): Promise<VectorStore> {
  const store = await MemoryStore.open()
  const a = await store.createCollection('alpha', { dimensions: 5, metric: 'dot' })
  const recs = makeRecords(40, 5)
  recs[3]!.expiresAt = new Date('2099-01-01T00:00:00.000Z')
  delete recs[4]!.metadata
  await a.upsert(recs)
  await store.createCollection('empty', { dimensions: 2, metric: 'l2' })
  return store
}

describe('export and import', () => {
  it('round-trips collections exactly (base64 vectors), including expiresAt and missing metadata', async () => {
    const src = await source()
    const text = await collect(src)
    const lines = text.trimEnd().split('\n')
    expect(JSON.parse(lines[0]!)).toEqual({ vectorkit: 'ndjson', version: 1 })
    expect(JSON.parse(lines[1]!)).toMatchObject({ collection: 'alpha', count: 40 })
    expect(JSON.parse(lines.at(-1)!)).toEqual({ end: 'empty', records: 0 })
    const dst = await MemoryStore.open()
    const report = await importStore(dst, Readable.from([text]), { batchSize: 9 })
    expect(report).toEqual({
      collections: [
        { name: 'alpha', records: 40 },
        { name: 'empty', records: 0 },
      ],
      records: 40,
    })
    const ids = makeRecords(40, 5).map((r) => r.id)
    const want = await (await src.collection('alpha')).get(ids)
    const got = await (await dst.collection('alpha')).get(ids)
    expect(got).toEqual(want)
    expect(got[3]!.expiresAt?.toISOString()).toBe('2099-01-01T00:00:00.000Z')
    expect((await dst.collection('empty')).spec).toEqual((await src.collection('empty')).spec)
  })

  it('writes readable JSON vectors on request, and reads hand-written files', async () => {
    const text = await collect(await source(), 'json')
    expect(text).toContain('"vector":[')
    const hand = [
      '{"vectorkit":"ndjson","version":1}',
      '{"collection":"h","spec":{"dimensions":2,"metric":"cosine"}}',
      '',
      '{"id":"x","vector":[1,0],"metadata":{"k":"v"}}',
      '{"end":"h","records":1}',
    ].join('\n')
    const dst = await MemoryStore.open()
    await importStore(dst, Readable.from([hand]))
    expect(await (await dst.collection('h')).get(['x'])).toMatchObject([{ id: 'x', metadata: { k: 'v' } }])
  })

  it('detects truncated files, and reports bad records with their line number', async () => {
    const text = await collect(await source())
    const truncated = text.split('\n').slice(0, 20).join('\n')
    const dst = await MemoryStore.open()
    await expect(importStore(dst, Readable.from([truncated]))).rejects.toThrow(/truncated/)
    const bad = [
      '{"vectorkit":"ndjson","version":1}',
      '{"collection":"b","spec":{"dimensions":2,"metric":"l2"}}',
      '{"id":"ok","vector":[1,0]}',
      '',
      '{"id":"nan","vector":[1,"x"]}',
      '{"end":"b","records":2}',
    ].join('\n')
    const dst2 = await MemoryStore.open()
    const err = await importStore(dst2, Readable.from([bad])).catch((e) => e)
    expect(err.code).toBe('VALIDATION')
    expect(err.message).toMatch(/^line 5: /)
    // The failing batch wrote nothing.
    expect(await (await dst2.collection('b')).count()).toBe(0)
  })

  it('refuses to import into a non-empty collection unless told to merge or replace', async () => {
    const text = await collect(await source())
    const dst = await MemoryStore.open()
    await importStore(dst, Readable.from([text]))
    await expect(importStore(dst, Readable.from([text]))).rejects.toMatchObject({ code: 'CONFLICT' })
    await importStore(dst, Readable.from([text]), { ifExists: 'replace' })
    expect(await (await dst.collection('alpha')).count()).toBe(40)
  })

  it('rejects malformed lines with CORRUPT_DATA', () => {
    expect(() => parseLine('{oops', 3)).toThrow(/line 3: not valid JSON/)
    expect(() => parseLine('{"vectorkit":"ndjson","version":2}', 1)).toThrow(/unsupported format/)
    expect(() => parseLine('{"id":"a"}', 5)).toThrow(/needs "vector"/)
    expect(() => parseLine('{"id":"a","vectorBase64":"AAA="}', 5)).toThrow(/multiple of 4/)
    expect(() => parseLine('{"id":"a","vector":[1],"expiresAt":"soon"}', 5)).toThrow(/ISO date/)
  })
})
