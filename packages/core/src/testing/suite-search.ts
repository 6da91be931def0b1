import { describe, expect, it } from 'vitest'
import type { Metric } from '../types'
import {
  expectSameVector,
  expectTopK,
  groundTruth,
  prng,
  randomRecords,
  randomVector,
  TOLERANCE,
} from './data'
import { type Harness, type IndexVariant, METRICS } from './harness'

/** Hand-computed distances and scores: the convention of `SearchHit`, per metric. */
const CONVENTION: Record<Metric, { id: string; vector: number[]; distance: number; score: number }[]> = {
  cosine: [
    { id: 'same', vector: [2, 0], distance: 0, score: 1 },
    { id: 'diag', vector: [1, 1], distance: 1 - Math.SQRT1_2, score: Math.SQRT1_2 },
    { id: 'orth', vector: [0, 3], distance: 1, score: 0 },
    { id: 'opp', vector: [-1, 0], distance: 2, score: -1 },
  ],
  dot: [
    { id: 'big', vector: [3, 4], distance: -3, score: 3 },
    { id: 'one', vector: [1, 0], distance: -1, score: 1 },
    { id: 'orth', vector: [0, 5], distance: 0, score: 0 },
    { id: 'neg', vector: [-2, 1], distance: 2, score: -2 },
  ],
  l2: [
    { id: 'same', vector: [1, 0], distance: 0, score: 1 },
    { id: 'unit', vector: [1, 1], distance: 1, score: 0.5 },
    { id: 'five', vector: [4, 4], distance: 5, score: 1 / 6 },
    { id: 'far', vector: [-5, 0], distance: 6, score: 1 / 7 },
  ],
}

/** Exact top-k, the score/distance convention, ties, and the search options. */
export function searchCases(h: Harness, v: IndexVariant): void {
  describe(`search (${v.label})`, () => {
    for (const metric of METRICS) {
      it(`${metric}: exact search returns the true top-k in order; k >= n returns all`, async () => {
        const col = await h.create({ dimensions: 6, metric, index: v.index })
        const records = randomRecords(40, 6, 31, 'r', (i) => ({ i }))
        await col.upsert(records)
        const rand = prng(32)
        for (let q = 0; q < 5; q++) {
          const query = randomVector(rand, 6)
          const truth = groundTruth(metric, query, records)
          for (const k of [1, 5, 40, 100]) {
            const hits = await col.search(q % 2 ? query : new Float32Array(query), { k, exact: true })
            expectTopK(metric, hits, truth, k)
            for (const hit of hits) {
              expect(hit.metadata).toEqual(records.find((r) => r.id === hit.id)?.metadata)
              expect(hit.vector, 'vectors are only returned when asked').toBeUndefined()
            }
          }
          expectTopK(metric, await col.search(query, { exact: true }), truth, 10)
        }
      })

      it(`${metric}: distance and score follow the documented convention`, async () => {
        const col = await h.create({ dimensions: 2, metric, index: v.index })
        const rows = CONVENTION[metric]
        await col.upsert(rows.map(({ id, vector }) => ({ id, vector })))
        const hits = await col.search([1, 0], { k: 10, exact: true })
        expect(hits.map((x) => x.id)).toEqual(rows.map((r) => r.id))
        for (const [i, row] of rows.entries()) {
          expect(Math.abs(hits[i]!.distance - row.distance), `${row.id} distance`).toBeLessThanOrEqual(
            TOLERANCE,
          )
          expect(Math.abs(hits[i]!.score - row.score), `${row.id} score`).toBeLessThanOrEqual(TOLERANCE)
        }
      })

      it(`${metric}: ties are broken by id in code point order`, async () => {
        const col = await h.create({ dimensions: 3, metric, index: v.index })
        const ids = ['m', '😀', 'b', '\uFFFD', 'a', 'B']
        await col.upsert(ids.map((id) => ({ id, vector: [0.5, -0.25, 1] })))
        await col.upsert([{ id: 'other', vector: [-1, 1, -1] }])
        const hits = await col.search([0.5, -0.25, 1], { k: 7, exact: true })
        expect(hits.map((x) => x.id)).toEqual(['B', 'a', 'b', 'm', '\uFFFD', '😀', 'other'])
        const top3 = await col.search([0.5, -0.25, 1], { k: 3, exact: true })
        expect(top3.map((x) => x.id)).toEqual(['B', 'a', 'b'])
      })
    }

    it('minScore drops hits scored below it', async () => {
      const col = await h.create({ dimensions: 2, metric: 'cosine', index: v.index })
      await col.upsert(CONVENTION.cosine.map(({ id, vector }) => ({ id, vector })))
      const q = [1, 0]
      expect((await col.search(q, { k: 10, minScore: 0.5, exact: true })).map((x) => x.id)).toEqual([
        'same',
        'diag',
      ])
      expect((await col.search(q, { k: 10, minScore: -0.5, exact: true })).map((x) => x.id)).toEqual([
        'same',
        'diag',
        'orth',
      ])
      expect(await col.search(q, { k: 10, minScore: 1.5, exact: true })).toEqual([])
      const all = await col.search(q, { k: 10, minScore: Number.NEGATIVE_INFINITY, exact: true })
      expect(all.length).toBe(4)
      const l2 = await h.create({ dimensions: 2, metric: 'l2', index: v.index })
      await l2.upsert(CONVENTION.l2.map(({ id, vector }) => ({ id, vector })))
      expect((await l2.search(q, { k: 10, minScore: 0.4, exact: true })).map((x) => x.id)).toEqual([
        'same',
        'unit',
      ])
    })

    for (const metric of METRICS)
      it(`${metric}: includeVectors returns each hit's vector`, async () => {
        const col = await h.create({ dimensions: 4, metric, index: v.index })
        const records = randomRecords(8, 4, 41)
        await col.upsert(records)
        const hits = await col.search(records[0]!.vector, { k: 8, includeVectors: true, exact: true })
        expect(hits.length).toBe(8)
        for (const hit of hits)
          expectSameVector(metric, hit.vector, records.find((r) => r.id === hit.id)!.vector)
        const got = await col.get(records.map((r) => r.id))
        for (const [i, r] of got.entries()) expectSameVector(metric, r.vector, records[i]!.vector)
      })

    it('excludeIds removes ids from the results and still returns k hits', async () => {
      const col = await h.create({ dimensions: 3, metric: 'l2', index: v.index })
      const records = randomRecords(20, 3, 51)
      await col.upsert(records)
      const q = records[0]!.vector
      const truth = groundTruth('l2', q, records)
      const exclude = truth.slice(0, 3).map((t) => t.id)
      const hits = await col.search(q, { k: 5, excludeIds: [...exclude, 'missing'], exact: true })
      expectTopK('l2', hits, truth.slice(3), 5)
      expect(await col.search(q, { k: 5, excludeIds: [], exact: true })).toHaveLength(5)
    })

    it('efSearch and exact are accepted; an empty collection returns no hits', async () => {
      const col = await h.create({ dimensions: 3, metric: 'dot', index: v.index })
      expect(await col.search([1, 2, 3], { k: 5 })).toEqual([])
      const records = randomRecords(30, 3, 61)
      await col.upsert(records)
      const truth = groundTruth('dot', [1, 2, 3], records)
      for (const opts of [{ efSearch: 1 }, { efSearch: 1000 }, { exact: false }, {}]) {
        const hits = await col.search([1, 2, 3], { k: 5, ...opts })
        expect(hits.length).toBe(5)
        for (const hit of hits) expect(truth.some((t) => t.id === hit.id)).toBe(true)
      }
      expectTopK('dot', await col.search([1, 2, 3], { k: 5, efSearch: 1, exact: true }), truth, 5)
    })

    it(
      v.approximate
        ? 'approximate search finds nearly all true neighbours (recall@10 >= 0.9)'
        : 'flat search is exact without exact: true',
      async () => {
        const dims = 8
        const col = await h.create({ dimensions: dims, metric: 'l2', index: v.index })
        const records = randomRecords(300, dims, 71)
        await col.upsert(records)
        const rand = prng(72)
        let found = 0
        for (let q = 0; q < 10; q++) {
          const query = randomVector(rand, dims)
          const truth = groundTruth('l2', query, records)
          const hits = await col.search(query, { k: 10, efSearch: 200 })
          if (!v.approximate) expectTopK('l2', hits, truth, 10)
          const top = new Set(truth.slice(0, 10).map((t) => t.id))
          found += hits.filter((x) => top.has(x.id)).length
        }
        expect(found / 100).toBeGreaterThanOrEqual(v.approximate ? 0.9 : 1)
      },
    )
  })
}
