import { type Metric, type ResolvedCollectionSpec, VectorStoreError } from '@vectorkit/core'
import { type RawBuilder, sql } from 'kysely'
import { indexNamesFor } from './table-names'

/** Largest dimension count pgvector's HNSW index accepts for `vector` columns (`MAX_VECTOR_INDEX_DIMENSIONS === 2000`). */
export const MAX_VECTOR_INDEX_DIMENSIONS = 2000
/** Largest dimension count pgvector's HNSW index accepts for `halfvec` columns. */
export const MAX_HALFVEC_INDEX_DIMENSIONS = 4000

/**
 * Column type of the embedding: `vector`, or `halfvec` for indexed collections of 2,001–4,000 dimensions.
 *
 * @example
 * ```ts
 * const storage: EmbeddingStorage = storageFor(spec)
 * ```
 */
export type EmbeddingStorage = 'vector' | 'halfvec'

/**
 * Chooses the embedding column type for a spec, or throws a clear `VALIDATION` error when pgvector
 * cannot index it.
 *
 * - exact (`flat`) collections: `vector(d)` for any d up to 16,000 (lossless);
 * - HNSW up to 2,000 dimensions: `vector(d)`;
 * - HNSW from 2,001 to 4,000: `halfvec(d)` — half precision, so `get` returns rounded vectors;
 * - HNSW above 4,000: error (use `{ type: 'flat' }`).
 *
 * @example
 * ```ts
 * storageFor({ dimensions: 3072, metric: 'cosine', index: resolved }) // 'halfvec'
 * ```
 */
export function storageFor(spec: ResolvedCollectionSpec): EmbeddingStorage {
  if (spec.index.type === 'flat' || spec.dimensions <= MAX_VECTOR_INDEX_DIMENSIONS) return 'vector'
  if (spec.dimensions <= MAX_HALFVEC_INDEX_DIMENSIONS) return 'halfvec'
  throw new VectorStoreError(
    'VALIDATION',
    `an HNSW index on PostgreSQL supports at most ${MAX_HALFVEC_INDEX_DIMENSIONS} dimensions (halfvec), got ${spec.dimensions}; use index: { type: 'flat' } for exact search`,
    { details: { dimensions: spec.dimensions } },
  )
}

const OPCLASS: Record<EmbeddingStorage, Record<Metric, string>> = {
  vector: { cosine: 'vector_cosine_ops', dot: 'vector_ip_ops', l2: 'vector_l2_ops' },
  halfvec: { cosine: 'halfvec_cosine_ops', dot: 'halfvec_ip_ops', l2: 'halfvec_l2_ops' },
}

/**
 * `vector(768)` / `halfvec(3072)`: the typmod is a validated integer, emitted as a literal.
 *
 * @example
 * ```ts
 * sql`create table t (embedding ${embeddingType('vector', 768)})`
 * ```
 */
export function embeddingType(storage: EmbeddingStorage, dimensions: number): RawBuilder<unknown> {
  return sql`${sql.raw(storage)}(${sql.lit(dimensions)})`
}

/** Largest embedding (bytes) stored `PLAIN`; bigger ones use `MAIN`. Leaves room in an 8 KB page for the rest of the row. */
export const MAX_PLAIN_EMBEDDING_BYTES = 6000

/**
 * How the embedding column is stored (`ALTER COLUMN … SET STORAGE`). pgvector's types default to
 * `EXTERNAL`: a 768-dimension vector (3 KB) then lives in TOAST and the main heap holds only
 * pointers, so PostgreSQL plans no parallel workers for the HNSW build (the heap looks tiny) and
 * every read pays a TOAST lookup. `PLAIN` keeps the vector in the heap row and never tries to
 * compress it (float data does not compress; `MAIN` wastes time trying). Vectors too large for
 * `PLAIN` in an 8 KB page use `MAIN` (in-line when possible). Measured numbers: README.
 *
 * @example
 * ```ts
 * embeddingStorageMode('vector', 768)      // 'plain'
 * embeddingStorageMode('halfvec', 4000)    // 'main'
 * ```
 */
export function embeddingStorageMode(storage: EmbeddingStorage, dimensions: number): 'plain' | 'main' {
  const bytes = (storage === 'halfvec' ? 2 : 4) * dimensions + 8
  return bytes <= MAX_PLAIN_EMBEDDING_BYTES ? 'plain' : 'main'
}

/**
 * Statements creating one collection's table and its metadata / expiry indexes.
 *
 * @example
 * ```ts
 * for (const st of createTableStatements('vectorkit', table, spec, 'vector')) await session.query(st)
 * ```
 */
export function createTableStatements(
  schema: string,
  table: string,
  spec: ResolvedCollectionSpec,
  storage: EmbeddingStorage,
): RawBuilder<unknown>[] {
  const t = sql.id(schema, table)
  const idx = indexNamesFor(table)
  return [
    sql`create table ${t} (
      id text collate "C" primary key,
      embedding ${embeddingType(storage, spec.dimensions)} not null,
      metadata jsonb,
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    sql`alter table ${t} alter column embedding set storage ${sql.raw(embeddingStorageMode(storage, spec.dimensions))}`,
    sql`create index ${sql.id(idx.metadata)} on ${t} using gin (metadata jsonb_path_ops)`,
    sql`create index ${sql.id(idx.expiresAt)} on ${t} (expires_at) where expires_at is not null`,
  ]
}

/**
 * `CREATE INDEX … USING hnsw`. `m` and `ef_construction` are validated integers (core's
 * `resolveSpec`), emitted as literals because DDL cannot take bound parameters. `undefined` for
 * exact collections.
 *
 * @example
 * ```ts
 * const st = createHnswIndexStatement('vectorkit', table, spec, 'vector')
 * if (st) await session.query(st)
 * ```
 */
export function createHnswIndexStatement(
  schema: string,
  table: string,
  spec: ResolvedCollectionSpec,
  storage: EmbeddingStorage,
): RawBuilder<unknown> | undefined {
  if (spec.index.type !== 'hnsw') return undefined
  const { m, efConstruction } = spec.index
  return sql`create index if not exists ${sql.id(indexNamesFor(table).hnsw)} on ${sql.id(schema, table)}
    using hnsw (embedding ${sql.raw(OPCLASS[storage][spec.metric])})
    with (m = ${sql.lit(m)}, ef_construction = ${sql.lit(efConstruction)})`
}
