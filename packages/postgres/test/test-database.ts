import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import type { PostgresStoreOptions } from '../src/options'
import { hasIterativeScan } from '../src/postgres-store'

/**
 * Where the tests get a PostgreSQL with pgvector, in this order (issue 4, item 9):
 * 1. `VECTORKIT_TEST_DATABASE_URL` (never `DATABASE_URL`, which may point at a real database);
 * 2. testcontainers with a `pgvector/pgvector` image, when a Docker engine answers;
 * 3. in-process PGlite with pgvector, served over `pglite-socket` so the `pg` driver path is tested.
 *
 * Under `CI=true` only option 1 is accepted, the server must not be PGlite, and pgvector must be
 * at least 0.8. Each test file gets fresh schemas (see {@link TestDatabase.newSchema}) that are
 * dropped by {@link TestDatabase.cleanup}.
 */
export interface TestDatabase {
  kind: 'server' | 'testcontainers' | 'pglite'
  url: string
  /** `VECTORKIT_TEST_PGBOUNCER_URL` when set (transaction-mode PgBouncer in front of `url`). */
  pgbouncerUrl: string | undefined
  /** Real multi-session PostgreSQL (not PGlite): pooling, leak, lock and termination tests need it. */
  real: boolean
  pgvectorVersion: string
  /** A unique schema name for one store; dropped by `cleanup()`. */
  newSchema(prefix?: string): string
  /** Runs SQL as a separate admin client (for assertions behind the store's back). */
  admin(): Promise<pg.Client>
  cleanup(): Promise<void>
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by `global-setup.ts`: where test files record that they reached PostgreSQL. */
    vectorkitPgMarkerDir: string
  }
}

const isCI = process.env.CI === 'true' || process.env.CI === '1'
let shared: Promise<TestDatabase> | undefined

/** The test database of this test file (one per worker process). */
export function getTestDatabase(): Promise<TestDatabase> {
  shared ??= open()
  return shared
}

async function dockerAnswers(): Promise<boolean> {
  const socketPath = '/var/run/docker.sock'
  if (!process.env.DOCKER_HOST && !existsSync(socketPath)) return false
  if (process.env.DOCKER_HOST && !existsSync(socketPath)) return true
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) =>
      resolve(res.statusCode === 200),
    )
    req.on('error', () => resolve(false))
    req.on('timeout', () => {
      req.destroy()
      resolve(false)
    })
    req.end()
  })
}

async function startTestcontainer(): Promise<{ url: string; stop: () => Promise<void> } | undefined> {
  const moduleName = '@testcontainers/postgresql'
  interface Started {
    getConnectionUri(): string
    stop(): Promise<unknown>
  }
  let mod: { PostgreSqlContainer: new (image: string) => { start(): Promise<Started> } }
  try {
    mod = await import(/* @vite-ignore */ moduleName)
  } catch {
    console.warn(
      '[vectorkit tests] a Docker engine answers, so testcontainers (pgvector/pgvector image) would be used, but @testcontainers/postgresql is not installed; falling back to PGlite',
    )
    return undefined
  }
  const container = await new mod.PostgreSqlContainer('pgvector/pgvector:pg16').start()
  return {
    url: container.getConnectionUri(),
    stop: async () => {
      await container.stop()
    },
  }
}

export async function startPglite(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite')
  const { vector } = await import('@electric-sql/pglite-pgvector')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const db = await PGlite.create({ extensions: { vector } })
  await db.exec('create extension if not exists vector')
  const port = 20000 + Math.floor(Math.random() * 20000)
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 16 })
  await server.start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    stop: async () => {
      await server.stop()
      await db.close()
    },
  }
}

async function open(): Promise<TestDatabase> {
  const envUrl = process.env.VECTORKIT_TEST_DATABASE_URL
  if (isCI && !envUrl)
    throw new Error(
      'CI=true requires VECTORKIT_TEST_DATABASE_URL (run: eval "$(bash scripts/provision-postgres.sh)")',
    )
  let kind: TestDatabase['kind'] = 'server'
  let url = envUrl
  let stop: (() => Promise<void>) | undefined
  if (!url && (await dockerAnswers())) {
    const c = await startTestcontainer()
    if (c) {
      url = c.url
      stop = c.stop
      kind = 'testcontainers'
    }
  }
  if (!url) {
    const p = await startPglite()
    url = p.url
    stop = p.stop
    kind = 'pglite'
  }
  const schemas: string[] = []
  const admin = async () => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    return c
  }
  const probe = await admin()
  let pgvectorVersion: string
  let isPglite: boolean
  try {
    const v = await probe.query<{ version: string }>('select version() as version')
    isPglite = /emscripten|wasm|pglite/i.test(v.rows[0]!.version)
    const e = await probe.query<{ v: string }>(
      "select extversion as v from pg_extension where extname = 'vector'",
    )
    pgvectorVersion = e.rows[0]?.v ?? 'missing'
  } finally {
    await probe.end()
  }
  if (isCI) {
    if (isPglite)
      throw new Error('CI=true: VECTORKIT_TEST_DATABASE_URL points at PGlite; CI needs a real PostgreSQL')
    if (!hasIterativeScan(pgvectorVersion))
      throw new Error(`CI=true: pgvector >= 0.8 is required, the server has ${pgvectorVersion}`)
  }
  const db: TestDatabase = {
    kind,
    url,
    pgbouncerUrl: kind === 'server' ? process.env.VECTORKIT_TEST_PGBOUNCER_URL || undefined : undefined,
    real: !isPglite,
    pgvectorVersion,
    newSchema(prefix = 'vkt') {
      const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
      schemas.push(name)
      return name
    },
    admin,
    async cleanup() {
      if (schemas.length > 0) {
        const c = await admin()
        try {
          for (const s of schemas.splice(0)) await c.query(`drop schema if exists "${s}" cascade`)
        } finally {
          await c.end()
        }
      }
      await stop?.()
    },
  }
  return db
}

/**
 * Guards a test that needs a real PostgreSQL server: PGlite multiplexes one session, so pooling,
 * leak, lock and termination tests would prove nothing there and never count as passed on it.
 * Under `CI=true` (where the server is required) it fails the test; on a developer machine with
 * only Node (PGlite fallback) it skips the test with that reason, so `pnpm test` stays green.
 */
export function requireRealPostgres(db: TestDatabase, ctx: { skip: (note?: string) => void }): void {
  if (db.real) return
  const reason =
    'needs a real PostgreSQL server (PGlite multiplexes a single session); set VECTORKIT_TEST_DATABASE_URL'
  if (isCI) throw new Error(`this test ${reason}`)
  ctx.skip(reason)
}

/**
 * Records that a test ran against the database (see `global-setup.ts`): the global teardown fails
 * a CI run in which no test reached a real server.
 */
export function markPostgresTestRan(db: TestDatabase, file: string): void {
  const dir = inject('vectorkitPgMarkerDir')
  if (!dir) return
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, `${process.pid}-${file.replace(/[^a-z0-9]+/gi, '_')}.json`),
    JSON.stringify({ kind: db.kind, real: db.real }),
  )
}

/**
 * Connection options of a store on the test database. PGlite's socket server does not carry
 * `COPY FROM STDIN`, so stores on it ingest with `unnest` (the server path uses binary COPY).
 */
export function storeOptions(db: TestDatabase, schema: string): PostgresStoreOptions {
  return {
    connectionString: db.url,
    schema,
    purgeIntervalMs: 0,
    ...(db.real ? {} : { ingest: 'unnest' as const, maxConnections: 1 }),
  }
}
