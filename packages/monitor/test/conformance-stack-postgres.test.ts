import { withCache } from '@vectorkit/cache'
import { runConformanceSuite } from '@vectorkit/core/testing'
import { PostgresStore } from '@vectorkit/postgres'
import { afterAll, beforeAll, expect, it } from 'vitest'
// The Postgres package's own test-database helper: same rules (VECTORKIT_TEST_DATABASE_URL,
// required under CI=true, real PostgreSQL with pgvector >= 0.8 in CI), one place.
import { getTestDatabase, markPostgresTestRan, type TestDatabase } from '../../postgres/test/test-database'
import { withMonitor } from '../src/index'

let db: TestDatabase
let schema: string
let opened = 0

beforeAll(async () => {
  db = await getTestDatabase()
  schema = db.newSchema('vkstack')
})

afterAll(async () => {
  await db.cleanup()
})

// monitor(cache(postgres)), with LISTEN on so the cache also hears its own writes come back.
runConformanceSuite(
  'monitor(cache(postgres))',
  async () => {
    opened++
    const pg = await PostgresStore.connect({
      connectionString: db.url,
      listenConnectionString: db.url,
      schema,
      purgeIntervalMs: 0,
    })
    return withMonitor(withCache(pg, { max: 64 }), { evaluateEveryMs: 0 })
  },
  { expectedCapabilities: { ttl: true, persistence: true, changeNotifications: true } },
)

it('ran the stack conformance suite against PostgreSQL', () => {
  expect(opened).toBeGreaterThan(10)
  markPostgresTestRan(db, 'monitor-cache-conformance')
})
