import { canonicalJson, compileFilter, type SearchHit, type VectorStore } from '@vectorkit/core'
import { MemoryStore } from '@vectorkit/memory'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore } from '../src/index'
import { METRICS, prng, randomFilter, randomRecords, randomVector } from './random-data'
import { getTestDatabase, markPostgresTestRan, storeOptions, type TestDatabase } from './test-database'

// Differential test (issue 4, item 5): random records and random filters; exact search and count
// must agree between the memory backend (the reference evaluator) and PostgreSQL.
const SEED = Number(process.env.VECTORKIT_DIFF_SEED ?? Math.floor(Math.random() * 2 ** 31))
const DATASETS = 6
const CASES_PER_DATASET = 180
const RECORDS = 120
const DIMS = 6
const TOLERANCE = 1e-6

let db: TestDatabase
let pgStore: VectorStore
let memStore: VectorStore

beforeAll(async () => {
  console.log(`[differential] seed ${SEED} (replay with VECTORKIT_DIFF_SEED=${SEED})`)
  db = await getTestDatabase()
  pgStore = await PostgresStore.connect(storeOptions(db, db.newSchema('vkdiff')))
  memStore = await MemoryStore.open()
})

afterAll(async () => {
  await pgStore?.close()
  await memStore?.close()
  await db?.cleanup()
})

/** Same hits, allowing order swaps only among hits whose distances are within the tolerance. */
function diffHits(pg: SearchHit[], mem: SearchHit[]): string | undefined {
  if (pg.length !== mem.length) return `length ${pg.length} vs ${mem.length}`
  for (let i = 0; i < pg.length; i++) {
    const a = pg[i]!
    const b = mem[i]!
    if (Math.abs(a.distance - b.distance) > TOLERANCE)
      return `distance at ${i}: ${a.distance} vs ${b.distance}`
    if (Math.abs(a.score - b.score) > TOLERANCE) return `score at ${i}: ${a.score} vs ${b.score}`
  }
  let i = 0
  while (i < mem.length) {
    let j = i
    while (j + 1 < mem.length && mem[j + 1]!.distance - mem[j]!.distance <= 2 * TOLERANCE) j++
    const last = j === mem.length - 1
    const pgIds = pg.slice(i, j + 1).map((h) => h.id)
    const memIds = mem.slice(i, j + 1).map((h) => h.id)
    // The last group may be cut by k next to an unseen tie; its distances were checked above.
    if (!last && [...pgIds].sort().join('\u0001') !== [...memIds].sort().join('\u0001'))
      return `ids at ${i}..${j}: ${JSON.stringify(pgIds)} vs ${JSON.stringify(memIds)}`
    i = j + 1
  }
  const memMeta = new Map(mem.map((h) => [h.id, canonicalJson(h.metadata ?? null)]))
  for (const h of pg) {
    const m = memMeta.get(h.id)
    if (m !== undefined && m !== canonicalJson(h.metadata ?? null))
      return `metadata of ${h.id}: ${canonicalJson(h.metadata)} vs ${m}`
  }
  return undefined
}

describe('differential: PostgreSQL filters and exact search agree with the memory backend', () => {
  it(`${DATASETS * CASES_PER_DATASET} random cases (seed printed)`, { timeout: 300_000 }, async () => {
    const r = prng(SEED)
    let cases = 0
    let nonTrivial = 0
    for (let d = 0; d < DATASETS; d++) {
      const metric = METRICS[d % METRICS.length]!
      const name = `diff_${d}`
      const spec = { dimensions: DIMS, metric }
      const pg = await pgStore.createCollection(name, spec)
      const mem = await memStore.createCollection(name, spec)
      // The HNSW collection plans filtered searches differently (iterative scan, GIN, fallback); same records.
      const pgHnsw = await pgStore.createCollection(`${name}_hnsw`, { ...spec, index: { type: 'hnsw' } })
      const records = randomRecords(r, RECORDS, DIMS)
      const metaById = new Map(records.map((x) => [x.id, x.metadata]))
      await pg.upsert(records)
      await pgHnsw.upsert(records)
      await mem.upsert(records)
      for (let c = 0; c < CASES_PER_DATASET; c++) {
        const filter = randomFilter(r)
        const k = 1 + Math.floor(r() * 30)
        const query = randomVector(r, DIMS)
        const where = `seed ${SEED}, dataset ${d} (${metric}), case ${c}, filter ${JSON.stringify(filter)}, k ${k}`
        const [pc, mc] = await Promise.all([pg.count(filter), mem.count(filter)])
        expect(pc, `count: ${where}`).toBe(mc)
        if (mc > 0 && mc < RECORDS) nonTrivial++
        const [ph, mh] = await Promise.all([
          pg.search(query, { k, filter, exact: true }),
          mem.search(query, { k, filter, exact: true }),
        ])
        expect(diffHits(ph, mh), `search: ${where}`).toBeUndefined()
        const hh = await pgHnsw.search(query, { k, filter })
        const accept = compileFilter(filter)
        expect(hh.length, `hnsw hit count: ${where}`).toBe(Math.min(k, mc))
        expect(
          hh.filter((h) => !accept(metaById.get(h.id))).map((h) => h.id),
          `hnsw filter: ${where}`,
        ).toEqual([])
        cases++
      }
    }
    expect(cases).toBeGreaterThanOrEqual(1000)
    // The generator must produce filters that split the data, or agreement would prove little.
    expect(nonTrivial).toBeGreaterThan(cases / 5)
    console.log(
      `[differential] ${cases} cases agreed (${nonTrivial} with a non-trivial match count), seed ${SEED}`,
    )
    markPostgresTestRan(db, 'differential')
  })
})
