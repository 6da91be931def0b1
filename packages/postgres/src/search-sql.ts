import type { Metric, ValidSearchOptions } from '@vectorkit/core'
import { type RawBuilder, sql } from 'kysely'
import { cosineDistance, l2Distance, maxInnerProduct } from 'pgvector/kysely'
import { filterToSql } from './filter-to-sql'

/** Rows of a search statement (`distance` as float8, metadata and embedding as text). */
export interface SearchRow {
  id: string
  distance: number
  metadata: string | null
  embedding?: string
}

/**
 * Records that have not expired. `now()` is the transaction's start, so one search sees one instant.
 *
 * @example
 * ```ts
 * sql`select count(*) from ${table} where ${LIVE}`
 * ```
 */
export const LIVE = sql<boolean>`(expires_at is null or expires_at > now())`

/**
 * `embedding <op> $query` through pgvector-node's Kysely helpers (the query vector travels as a
 * bound parameter in pgvector's text form; PostgreSQL infers `vector` or `halfvec` from the column).
 *
 * @example
 * ```ts
 * distanceExpr('cosine', q) // embedding <=> $1
 * ```
 */
export function distanceExpr(metric: Metric, query: Float32Array): RawBuilder<unknown> {
  const q = Array.from(query)
  if (metric === 'cosine') return cosineDistance('embedding', q)
  if (metric === 'dot') return maxInnerProduct('embedding', q)
  return l2Distance('embedding', q)
}

/**
 * The WHERE clause shared by both search plans: live rows, the filter, the excluded ids.
 *
 * @example
 * ```ts
 * sql`select id from ${table} where ${searchWhere(validOptions)}`
 * ```
 */
export function searchWhere(options: ValidSearchOptions, indexHints = true): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [LIVE]
  if (options.filter.op !== 'true') parts.push(filterToSql(options.filter, sql.ref('metadata'), indexHints))
  if (options.excludeIds) parts.push(sql`id <> all(${[...options.excludeIds]}::text[])`)
  return sql<boolean>`${sql.join(parts, sql` and `)}`
}

function columns(dist: RawBuilder<unknown>, includeVectors: boolean): RawBuilder<unknown> {
  return includeVectors
    ? sql`id, ${dist} as distance, metadata::text as metadata, embedding::text as embedding`
    : sql`id, ${dist} as distance, metadata::text as metadata`
}

/**
 * Exact top-k: every matching row is scored; ties break by id (`COLLATE "C"`, core's
 * `compareIds`). The caller disables index scans when the table has an HNSW index.
 *
 * @example
 * ```ts
 * await session.query<SearchRow>(exactSearchSql('vectorkit', table, 'l2', q, options))
 * ```
 */
export function exactSearchSql(
  schema: string,
  table: string,
  metric: Metric,
  query: Float32Array,
  options: ValidSearchOptions,
): RawBuilder<SearchRow> {
  const dist = distanceExpr(metric, query)
  return sql<SearchRow>`select ${columns(dist, options.includeVectors)}
    from ${sql.id(schema, table)}
    where ${searchWhere(options)}
    order by distance, id
    limit ${options.k}`
}

/**
 * Approximate top-k through the HNSW index, in **one statement**. The per-query settings
 * (`hnsw.ef_search`, `hnsw.iterative_scan`, …) are applied by `set_config(name, $value, true)` in
 * a one-row subquery that the index scan's subquery depends on (LATERAL): PostgreSQL evaluates
 * it as a one-time filter before the index scan starts, and pgvector reads its settings when the
 * scan starts, so they take effect. `true` (= `SET LOCAL`) ends them with the statement's own
 * transaction: nothing leaks to the next user of the connection, behind transaction poolers
 * too, and a search costs one round trip instead of three (BEGIN, query, COMMIT). A test guards
 * the ordering against future pgvector versions (pooler.test.ts).
 *
 * The inner query orders by the distance alone (the only shape pgvector's index can serve); the
 * outer one restores the distance-then-id order, which `relaxed_order` may have loosened.
 *
 * @example
 * ```ts
 * await session.query<SearchRow>(hnswSearchSql('vectorkit', table, 'cosine', q, options, { 'hnsw.ef_search': '100' }))
 * ```
 */
export function hnswSearchSql(
  schema: string,
  table: string,
  metric: Metric,
  query: Float32Array,
  options: ValidSearchOptions,
  settings: Record<string, string>,
  indexHints = true,
): RawBuilder<SearchRow> {
  const dist = distanceExpr(metric, query)
  const names = Object.keys(settings)
  const calls = names.map((n, i) => sql`set_config(${n}, ${settings[n]!}, true) as ${sql.id(`s${i}`)}`)
  const applied = names.map((_, i) => sql`${sql.ref(`cfg.s${i}`)} is not null`)
  return sql<SearchRow>`select candidates.* from (select ${sql.join(calls)}) as cfg
    cross join lateral (
      select ${columns(dist, options.includeVectors)}
      from ${sql.id(schema, table)}
      where ${sql.join([...applied, searchWhere(options, indexHints)], sql` and `)}
      order by distance
      limit ${options.k}
    ) as candidates
    order by candidates.distance, candidates.id`
}
