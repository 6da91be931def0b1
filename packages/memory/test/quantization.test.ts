import { cosineSimilarity } from '@vectorkit/core'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../src/index'
import { CALIBRATION_ROWS } from '../src/quantized-column'
import { Calibration } from '../src/quantizer'
import { clustered, recall, sift5k } from './fixtures'

describe('Calibration', () => {
  it('maps each dimension onto [-127, 127] by its own range plus headroom and clamps outliers', () => {
    const cal = new Calibration(3)
    cal.observe(Float32Array.of(0, 10, -1))
    cal.observe(Float32Array.of(1, 30, -1))
    cal.finish()
    const q = new Int8Array(3)
    cal.quantize(Float32Array.of(1, 20, -1), q)
    // The sample's maximum lands inside the range (10% headroom), not on its edge.
    expect([...q]).toEqual([115, 0, 0])
    cal.quantize(Float32Array.of(1.04, 21, -1), q)
    expect([...q]).toEqual([125, 12, 0])
    cal.quantize(Float32Array.of(-5, 40, -1), q)
    expect([...q]).toEqual([-127, 127, 0])
    const back = new Float32Array(3)
    cal.quantize(Float32Array.of(0.5, 12, -1), q)
    cal.dequantize(new Int8Array(q.buffer), 0, back)
    expect(back[0]).toBeCloseTo(0.5, 2)
    expect(back[1]).toBeCloseTo(12, 1)
    expect(back[2]).toBeCloseTo(-1, 5)
  })
})

describe('int8 quantization', () => {
  it('sift-5k: recall with rerank matches float32; without rerank it stays high at a quarter of the bytes', async () => {
    const { base, queries } = sift5k()
    const store = await MemoryStore.open()
    const spec = { dimensions: 128, metric: 'l2' as const }
    const flat = await store.createCollection('flat', spec)
    const f32 = await store.createCollection('f32', { ...spec, index: { type: 'hnsw' } })
    const rr = await store.createCollection('rr', { ...spec, index: { type: 'hnsw', quantization: 'int8' } })
    const q8 = await store.createCollection('q8', {
      ...spec,
      index: { type: 'hnsw', quantization: 'int8', rerank: false },
    })
    const records = base.map((vector, i) => ({ id: `s${i}`, vector }))
    for (const c of [flat, f32, rr, q8])
      for (let i = 0; i < 4500; i += 1500) await c.upsert(records.slice(i, i + 1500))
    const truth: string[][] = []
    const got: Record<string, string[][]> = { f32: [], rr: [], q8: [], q8exact: [] }
    for (const q of queries) {
      truth.push((await flat.search(q, { k: 10 })).map((h) => h.id))
      got.f32!.push((await f32.search(q, { k: 10 })).map((h) => h.id))
      got.rr!.push((await rr.search(q, { k: 10 })).map((h) => h.id))
      got.q8!.push((await q8.search(q, { k: 10 })).map((h) => h.id))
      got.q8exact!.push((await q8.search(q, { k: 10, exact: true })).map((h) => h.id))
    }
    expect(recall(got.rr!, truth)).toBeGreaterThanOrEqual(0.98)
    expect(recall(got.q8!, truth)).toBeGreaterThanOrEqual(0.95)
    expect(recall(got.q8exact!, truth)).toBeGreaterThanOrEqual(0.97)
    const [sf, sr, sq] = await Promise.all([f32.stats(), rr.stats(), q8.stats()])
    expect(sq.details).toMatchObject({ calibrated: true, floatBytes: 0 })
    expect(sq.bytes).toBeLessThan(sf.bytes / 2)
    expect(sr.bytes).toBeGreaterThan(sf.bytes)
    // Without rerank, distances are approximate but close; get() returns dequantized vectors.
    const [hit] = await q8.search(queries[0]!, { k: 1 })
    const [exactHit] = await flat.search(queries[0]!, { k: 1 })
    expect(Math.abs(hit!.distance - exactHit!.distance) / exactHit!.distance).toBeLessThan(0.1)
    const [rec] = await q8.get(['s1'])
    for (let i = 0; i < 128; i++) expect(Math.abs(rec!.vector[i]! - base[1]![i]!)).toBeLessThan(1.5)
    await store.close()
  })

  it('stays exact below the calibration size, then calibrates; cosine vectors keep their direction', async () => {
    const store = await MemoryStore.open()
    const c = await store.createCollection('cq', {
      dimensions: 20,
      metric: 'cosine',
      index: { type: 'hnsw', quantization: 'int8', rerank: false },
    })
    const data = clustered(CALIBRATION_ROWS + 200, 20, 3).map((vector, i) => ({ id: `q${i}`, vector }))
    await c.upsert(data.slice(0, 100))
    expect((await c.stats()).details).toMatchObject({ calibrated: false })
    const [rec] = await c.get(['q5'])
    expect([...rec!.vector]).toEqual([...data[5]!.vector])
    await c.upsert(data.slice(100))
    expect((await c.stats()).details).toMatchObject({ calibrated: true })
    const [after] = await c.get(['q5'])
    expect(cosineSimilarity(after!.vector, data[5]!.vector)).toBeGreaterThan(0.999)
    const hits = await c.search(data[7]!.vector, { k: 3 })
    expect(hits[0]!.id).toBe('q7')
    expect(hits[0]!.distance).toBeLessThan(0.01)
    // Deletes and updates keep working on quantized rows.
    await c.delete(['q7'])
    await c.upsert([{ id: 'q8', vector: data[9]!.vector }])
    const again = await c.search(data[9]!.vector, { k: 2 })
    expect(again.map((h) => h.id).sort()).toEqual(['q8', 'q9'])
    await store.close()
  })
})
