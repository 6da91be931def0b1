import { isVectorStoreError, type ValidRecord } from '@vectorkit/core'
import { type RawBuilder, sql } from 'kysely'
import { toSql } from 'pgvector/kysely'
import { encodeBinaryCopy } from './binary-copy'
import type { EmbeddingStorage } from './collection-ddl'
import type { Session } from './executor'
import { compile } from './sql-compiler'

/**
 * Keeps the last occurrence of each id: a batch behaves as if upserted in order, and
 * `INSERT … ON CONFLICT DO UPDATE` refuses to touch one row twice in a statement.
 *
 * @example
 * ```ts
 * lastWins(validateRecords([{ id: 'a', vector: [1] }, { id: 'a', vector: [2] }], spec)) // one record, vector [2]
 * ```
 */
export function lastWins(records: readonly ValidRecord[]): ValidRecord[] {
  const at = new Map<string, number>()
  for (let i = 0; i < records.length; i++) at.set(records[i]!.id, i)
  if (at.size === records.length) return records as ValidRecord[]
  const out: ValidRecord[] = []
  for (const [, i] of at) out.push(records[i]!)
  return out
}

const STAGE = 'vectorkit_stage'

function onConflict(): RawBuilder<unknown> {
  return sql`on conflict (id) do update set
    embedding = excluded.embedding,
    metadata = excluded.metadata,
    expires_at = excluded.expires_at,
    updated_at = now()`
}

/**
 * Upserts through binary `COPY`, inside the caller's transaction.
 *
 * When none of the ids exist yet (checked through the primary key, ~1 ms for 1,000 ids), the
 * batch is copied straight into the collection table under a savepoint: the cost of a bare
 * `COPY`. Otherwise — or when a concurrent writer inserted one of the ids in the meantime
 * (`23505`, caught at the savepoint) — it is copied into a temporary table (dropped at commit)
 * and merged with one `INSERT … SELECT … ON CONFLICT DO UPDATE`.
 *
 * @example
 * ```ts
 * await executor.transaction('upsert', {}, (s) => upsertViaCopy(s, 'vectorkit', table, 'vector', records))
 * ```
 */
export async function upsertViaCopy(
  s: Session,
  schema: string,
  table: string,
  storage: EmbeddingStorage,
  records: readonly ValidRecord[],
): Promise<void> {
  if (!s.copyIn) throw new Error('upsertViaCopy needs a raw pg connection')
  const data = encodeBinaryCopy(records)
  // The binary stream carries float4 vectors; halfvec columns take them through a cast.
  if (storage === 'vector' && (await noneExist(s, schema, table, records))) {
    await s.query(sql`savepoint vectorkit_copy`)
    try {
      const direct = compile(
        sql`copy ${sql.id(schema, table)} (id, embedding, metadata, expires_at) from stdin (format binary)`,
      )
      await s.copyIn(direct.sql, data)
      await s.query(sql`release savepoint vectorkit_copy`)
      return
    } catch (err) {
      if (!isVectorStoreError(err, 'CONFLICT')) throw err
      await s.query(sql`rollback to savepoint vectorkit_copy`)
    }
  }
  await s.query(
    sql`create temp table if not exists ${sql.id(STAGE)} (
      id text collate "C", embedding vector, metadata jsonb, expires_at timestamptz
    ) on commit drop`,
  )
  const copy = compile(
    sql`copy ${sql.id(STAGE)} (id, embedding, metadata, expires_at) from stdin (format binary)`,
  )
  await s.copyIn(copy.sql, data)
  const emb = storage === 'halfvec' ? sql`embedding::halfvec` : sql`embedding`
  await s.query(
    sql`insert into ${sql.id(schema, table)} (id, embedding, metadata, expires_at)
      select id, ${emb}, metadata, expires_at from ${sql.id(STAGE)}
      ${onConflict()}`,
  )
}

async function noneExist(
  s: Session,
  schema: string,
  table: string,
  records: readonly ValidRecord[],
): Promise<boolean> {
  const ids = records.map((r) => r.id)
  const { rows } = await s.query<{ hit: boolean }>(
    sql`select exists (select 1 from ${sql.id(schema, table)} where id = any(${ids}::text[])) as hit`,
  )
  return rows[0]?.hit === false
}

/**
 * Upserts with one multi-row `INSERT … SELECT FROM unnest(…)` whose four parameters are arrays
 * (vectors as pgvector text). Used when no raw pg connection is available (a caller's Kysely).
 *
 * @example
 * ```ts
 * await executor.transaction('upsert', {}, (s) => upsertViaUnnest(s, 'vectorkit', table, 'vector', records))
 * ```
 */
export async function upsertViaUnnest(
  s: Session,
  schema: string,
  table: string,
  storage: EmbeddingStorage,
  records: readonly ValidRecord[],
): Promise<void> {
  const ids = records.map((r) => r.id)
  const vectors = records.map((r) => toSql(Array.from(r.vector)) as string)
  const metas = records.map((r) => (r.metadata === undefined ? null : JSON.stringify(r.metadata)))
  const expires = records.map((r) => (r.expiresAt ? r.expiresAt.toISOString() : null))
  const vtype = sql.raw(storage === 'halfvec' ? 'halfvec[]' : 'vector[]')
  await s.query(
    sql`insert into ${sql.id(schema, table)} (id, embedding, metadata, expires_at)
      select * from unnest(${ids}::text[], ${vectors}::${vtype}, ${metas}::jsonb[], ${expires}::timestamptz[])
      ${onConflict()}`,
  )
}
