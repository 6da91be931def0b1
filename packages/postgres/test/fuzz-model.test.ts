import { runFuzzSuite, runModelSuite } from '@vectorkit/core/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PostgresStore } from '../src/index'
import { getTestDatabase, markPostgresTestRan, storeOptions, type TestDatabase } from './test-database'

let db: TestDatabase
let schema: string
let opened = 0

beforeAll(async () => {
  db = await getTestDatabase()
  schema = db.newSchema('vkfuzz')
})

afterAll(async () => {
  await db.cleanup()
})

const factory = async () => {
  opened++
  return PostgresStore.connect(storeOptions(db, schema))
}

/** Every table in the store's schema must be the registry, the migrations table, or a registered collection. */
async function assertNoStrayTables(): Promise<void> {
  const c = await db.admin()
  try {
    const r = await c.query<{ relname: string }>(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relkind = 'r'
         and c.relname not in ('collections', 'schema_migrations')
         and c.relname not in (select table_name from "${schema}".collections)`,
      [schema],
    )
    expect(r.rows.map((x) => x.relname)).toEqual([])
    // Bad names never leave anything behind in other schemas either.
    const leaked = await c.query(
      `select 1 from pg_namespace where nspname like '%drop%' or nspname like '%..%'`,
    )
    expect(leaked.rowCount).toBe(0)
  } finally {
    await c.end()
  }
}

runFuzzSuite('postgres', factory, { numRuns: 60, afterEach: assertNoStrayTables })
runModelSuite('postgres', factory, { hnsw: true, numRuns: 15 })

it('ran the fuzz and model suites against PostgreSQL', () => {
  expect(opened).toBeGreaterThan(0)
  markPostgresTestRan(db, 'fuzz-model')
})
