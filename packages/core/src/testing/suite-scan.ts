import { describe, expect, it } from 'vitest'
import { compareIds } from '../ids'
import type { VectorRecord } from '../types'
import { expectSameVector, prng, randomVector } from './data'
import { collectScan, expectCode, type Harness, type IndexVariant } from './harness'

/**
 * Ids chosen so code point order differs from UTF-16 order ('\uFFFD' < '😀') and from
 * locale collation ('B' < 'a', 'é' after 'z').
 */
export const TRICKY_IDS = [
  'a',
  'B',
  'b',
  'a-1',
  'a_1',
  'a1',
  'z',
  'é',
  'e\u0301',
  '😀',
  '\uFFFD',
  '\uE000',
  '日本',
  '10',
  '9',
  ' x',
  'x y',
  "a'--",
  'x"; DROP TABLE t; --',
]

/** `scan`: id order, batches, cursors and filters. */
export function scanCases(h: Harness, v: IndexVariant): void {
  describe(`scan (${v.label})`, () => {
    const spec = { dimensions: 2, metric: 'l2' as const, index: v.index }

    async function seeded() {
      const col = await h.create(spec)
      const rand = prng(21)
      const records: VectorRecord[] = TRICKY_IDS.map((id, i) => ({
        id,
        vector: randomVector(rand, 2),
        metadata: { i, odd: i % 2 === 1 },
      }))
      await col.upsert(records)
      return { col, records, order: [...TRICKY_IDS].sort(compareIds) }
    }

    it('visits every record exactly once, in code point id order, for batch sizes 1, 3, 7 and n', async () => {
      const { col, records, order } = await seeded()
      for (const batchSize of [1, 3, 7, records.length, records.length + 5]) {
        const batches = await collectScan(col.scan({ batchSize }))
        for (const b of batches) {
          expect(b.length, `batch of size ${b.length} with batchSize ${batchSize}`).toBeGreaterThan(0)
          expect(b.length).toBeLessThanOrEqual(batchSize)
        }
        expect(batches.flat().map((r) => r.id)).toEqual(order)
      }
      const all = (await collectScan(col.scan())).flat()
      expect(all.map((r) => r.id)).toEqual(order)
      for (const r of all) {
        const input = records.find((x) => x.id === r.id)!
        expectSameVector('l2', r.vector, input.vector)
        expect(r.metadata).toEqual(input.metadata)
      }
    })

    it('resumes after an exclusive cursor, including ids that do not exist', async () => {
      const { col, order } = await seeded()
      for (const [cut, batchSize] of [
        [0, 2],
        [5, 3],
        [order.length - 2, 1],
        [order.length - 1, 4],
      ] as const) {
        const after = order[cut]!
        const rest = (await collectScan(col.scan({ after, batchSize }))).flat().map((r) => r.id)
        expect(rest).toEqual(order.slice(cut + 1))
      }
      // A cursor between two ids starts at the next one.
      const rest = (await collectScan(col.scan({ after: 'a0' }))).flat().map((r) => r.id)
      expect(rest).toEqual(order.filter((id) => compareIds(id, 'a0') > 0))
      const none = (await collectScan(col.scan({ after: '\u{10FFFF}' }))).flat()
      expect(none).toEqual([])
    })

    it('a copy made batch by batch with cursors sees every record once', async () => {
      const { col, order } = await seeded()
      const seen: string[] = []
      let after: string | undefined
      for (;;) {
        let got: VectorRecord[] | undefined
        for await (const b of col.scan(after === undefined ? { batchSize: 4 } : { after, batchSize: 4 })) {
          got = b
          break // resume from a fresh scan each time, as a migration does
        }
        if (!got) break
        seen.push(...got.map((r) => r.id))
        after = got[got.length - 1]!.id
      }
      expect(seen).toEqual(order)
    })

    it('filters a scan and combines the filter with a cursor', async () => {
      const { col, records, order } = await seeded()
      const odd = records.filter((r) => r.metadata?.odd === true).map((r) => r.id)
      const expected = order.filter((id) => odd.includes(id))
      const got = (await collectScan(col.scan({ filter: { odd: true }, batchSize: 2 }))).flat()
      expect(got.map((r) => r.id)).toEqual(expected)
      const after = expected[2]!
      const tail = (await collectScan(col.scan({ filter: { odd: true }, after, batchSize: 3 }))).flat()
      expect(tail.map((r) => r.id)).toEqual(expected.slice(3))
    })

    it('scan of an empty collection yields nothing; bad options are VALIDATION', async () => {
      const col = await h.create(spec)
      expect(await collectScan(col.scan())).toEqual([])
      for (const bad of [{ batchSize: 0 }, { batchSize: 1.5 }, { batchSize: 10_001 }, { after: '' }])
        await expectCode(() => collectScan(col.scan(bad)), 'VALIDATION')
      await expectCode(() => collectScan(col.scan({ filter: { n: { $gt: 'x' } } as never })), 'VALIDATION')
    })
  })
}
