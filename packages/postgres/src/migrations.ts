import { VectorStoreError } from '@vectorkit/core'
import { type RawBuilder, sql } from 'kysely'
import type { Executor, Session } from './executor'

/** Name of the registry table of collections, inside the store's schema (`vectorkit.collections`). */
export const REGISTRY_TABLE = 'collections'
/** Name of the table recording applied migrations, inside the store's schema. */
export const MIGRATIONS_TABLE = 'schema_migrations'

/** One versioned, forward-only change of the store's schema. */
interface Migration {
  version: number
  description: string
  statements: (schema: string) => RawBuilder<unknown>[]
}

/**
 * The migrations, in order. Never edit a released one; append a new version instead.
 * Every statement is idempotent on its own as a second line of defence, but the advisory lock
 * is what makes concurrent starts safe.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'registry of collections',
    statements: (schema) => [
      sql`create table if not exists ${sql.id(schema, REGISTRY_TABLE)} (
        name text collate "C" primary key,
        table_name text not null unique,
        dimensions integer not null check (dimensions between 1 and 16000),
        metric text not null check (metric in ('cosine', 'dot', 'l2')),
        index_spec jsonb not null,
        storage text not null check (storage in ('vector', 'halfvec')),
        created_at timestamptz not null default now()
      )`,
    ],
  },
]

/** The newest schema version this code knows (compare with `max(version)` of `schema_migrations`). */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

async function ensureExtension(executor: Executor): Promise<string> {
  const found = await executor.session('connect', (s) =>
    s.query<{ v: string }>(sql`select extversion as v from pg_extension where extname = 'vector'`),
  )
  if (found.rows[0]) return found.rows[0].v
  // Parallel starts on one database (several schemas at once) must not race on the extension.
  return executor.transaction('create extension', {}, async (s) => {
    await s.query(sql`select pg_advisory_xact_lock(hashtextextended('vectorkit:extension', 0))`)
    try {
      await s.query(sql`create extension if not exists vector`)
    } catch (err) {
      throw new VectorStoreError(
        'UNSUPPORTED',
        'the pgvector extension is not installed in this database and could not be created; run "CREATE EXTENSION vector" as a privileged user',
        { cause: err },
      )
    }
    const r = await s.query<{ v: string }>(
      sql`select extversion as v from pg_extension where extname = 'vector'`,
    )
    return r.rows[0]!.v
  })
}

async function applyMigrations(s: Session, schema: string): Promise<number[]> {
  await s.query(sql`select pg_advisory_xact_lock(hashtextextended(${`vectorkit:migrate:${schema}`}, 0))`)
  await s.query(sql`create schema if not exists ${sql.id(schema)}`)
  await s.query(sql`create table if not exists ${sql.id(schema, MIGRATIONS_TABLE)} (
    version integer primary key,
    description text not null,
    applied_at timestamptz not null default now()
  )`)
  const r = await s.query<{ v: number | null }>(
    sql`select max(version) as v from ${sql.id(schema, MIGRATIONS_TABLE)}`,
  )
  const current = r.rows[0]?.v ?? 0
  if (current > SCHEMA_VERSION)
    throw new VectorStoreError(
      'CONFLICT',
      `schema "${schema}" is at version ${current}, newer than this vectorkit (${SCHEMA_VERSION}); upgrade @vectorkit/postgres`,
    )
  const applied: number[] = []
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue
    for (const st of m.statements(schema)) await s.query(st)
    await s.query(
      sql`insert into ${sql.id(schema, MIGRATIONS_TABLE)} (version, description) values (${m.version}, ${m.description})`,
    )
    applied.push(m.version)
  }
  return applied
}

/**
 * Brings `schema` to {@link SCHEMA_VERSION}: creates the pgvector extension if missing, then
 * applies pending migrations in one transaction under `pg_advisory_xact_lock`. A transaction-level
 * lock (not a session lock) is released by COMMIT, so it also works behind transaction-mode
 * poolers; processes starting at once wait for each other and the later ones find nothing to do.
 *
 * @example
 * ```ts
 * const { applied, pgvectorVersion } = await migrate(executor, 'vectorkit')
 * ```
 */
export async function migrate(
  executor: Executor,
  schema: string,
  statementTimeoutMs: number,
): Promise<{ applied: number[]; pgvectorVersion: string }> {
  const pgvectorVersion = await ensureExtension(executor)
  const applied = await executor.transaction(
    'migrate',
    { statement_timeout: String(statementTimeoutMs) },
    (s) => applyMigrations(s, schema),
  )
  return { applied, pgvectorVersion }
}
