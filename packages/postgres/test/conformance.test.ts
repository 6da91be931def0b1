import { runConformanceSuite } from '@vectorkit/core/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PostgresStore } from '../src/index'
import { getTestDatabase, markPostgresTestRan, storeOptions, type TestDatabase } from './test-database'

let db: TestDatabase
let schema: string
let opened = 0

beforeAll(async () => {
  db = await getTestDatabase()
  schema = db.newSchema('vkconf')
})

afterAll(async () => {
  await db.cleanup()
})

// One schema for the whole file: the suite opens a store per test and uses unique collection names.
runConformanceSuite(
  'postgres',
  async () => {
    opened++
    return PostgresStore.connect(storeOptions(db, schema))
  },
  { hnsw: true, expectedCapabilities: { ttl: true, hnsw: true, quantization: false, persistence: true } },
)

it('ran the conformance suite against PostgreSQL', () => {
  expect(opened).toBeGreaterThan(10)
  markPostgresTestRan(db, 'conformance')
})
