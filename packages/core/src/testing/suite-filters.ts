import { describe, expect, it } from 'vitest'
import { compileFilter, type Filter } from '../filter'
import { compareIds } from '../ids'
import type { Collection, VectorRecord } from '../types'
import { prng, randomVector } from './data'
import { FILTER_FIXTURE, FILTER_GROUPS } from './filter-cases'
import { collectScan, type Harness, type IndexVariant } from './harness'

function fixtureRecords(): VectorRecord[] {
  const rand = prng(81)
  return Object.entries(FILTER_FIXTURE).map(([id, metadata]) => {
    const r: VectorRecord = { id, vector: randomVector(rand, 3) }
    if (metadata) r.metadata = metadata
    return r
  })
}

async function expectMatches(
  col: Collection,
  v: IndexVariant,
  filter: Filter,
  expected: string[],
): Promise<void> {
  const label = JSON.stringify(filter)
  const want = [...expected].sort(compareIds)
  // Guards the table itself against the reference evaluator.
  const p = compileFilter(filter)
  const reference = Object.entries(FILTER_FIXTURE)
    .filter(([, m]) => p(m))
    .map(([id]) => id)
  expect(reference, `reference evaluator on ${label}`).toEqual(want)
  expect(await col.count(filter), `count(${label})`).toBe(want.length)
  const hits = await col.search([1, 0.5, -0.5], { k: 100, filter, exact: true })
  expect(hits.map((x) => x.id).sort(compareIds), `search(${label})`).toEqual(want)
  const scanned = (await collectScan(col.scan({ filter, batchSize: 4 }))).flat()
  expect(
    scanned.map((r) => r.id),
    `scan(${label})`,
  ).toEqual(want)
  if (v.approximate) {
    const approx = await col.search([1, 0.5, -0.5], { k: 100, filter })
    for (const hit of approx)
      expect(want, `approximate search(${label}) returned ${hit.id}`).toContain(hit.id)
  }
}

/** Every filter operator, on count, search and scan, against the documented semantics. */
export function filterCases(h: Harness, v: IndexVariant): void {
  describe(`filters (${v.label})`, () => {
    for (const group of FILTER_GROUPS)
      it(group.name, async () => {
        const col = await h.create({ dimensions: 3, metric: 'l2', index: v.index })
        await col.upsert(fixtureRecords())
        for (const [filter, ids] of group.cases) await expectMatches(col, v, filter, ids)
      })

    it('delete by filter removes exactly the matching records', async () => {
      const col = await h.create({ dimensions: 3, metric: 'l2', index: v.index })
      await col.upsert(fixtureRecords())
      expect(await col.delete({ filter: { genre: { $ne: 'drama' } } })).toBe(7)
      expect((await col.get(Object.keys(FILTER_FIXTURE))).map((r) => r.id)).toEqual(['f1', 'f3'])
      expect(await col.delete({ filter: { tags: { $exists: false } } })).toBe(0)
      expect(await col.delete({ filter: { tags: { $exists: true } } })).toBe(2)
      expect(await col.count()).toBe(0)
    })

    it('a filter on search combines with k, minScore and excludeIds', async () => {
      const col = await h.create({ dimensions: 3, metric: 'l2', index: v.index })
      const records = fixtureRecords()
      await col.upsert(records)
      const filter = { genre: { $exists: true } }
      const all = await col.search([0, 0, 0], { k: 100, filter, exact: true })
      expect(all.length).toBe(7)
      const top2 = await col.search([0, 0, 0], { k: 2, filter, exact: true })
      expect(top2.map((x) => x.id)).toEqual(all.slice(0, 2).map((x) => x.id))
      const skip = await col.search([0, 0, 0], { k: 2, filter, excludeIds: [all[0]!.id], exact: true })
      expect(skip.map((x) => x.id)).toEqual(all.slice(1, 3).map((x) => x.id))
      const minScore = all[3]!.score
      const above = await col.search([0, 0, 0], { k: 100, filter, minScore, exact: true })
      expect(above.map((x) => x.id)).toEqual(all.filter((x) => x.score >= minScore).map((x) => x.id))
    })
  })
}
