import type { FilterNode, Scalar } from '@vectorkit/core'
import { type RawBuilder, sql } from 'kysely'

/**
 * Translates a parsed filter ({@link FilterNode}, from core's `parseFilter`) into a SQL boolean
 * over the `metadata jsonb` column, with exactly the reference evaluator's semantics
 * (`compileFilter` in `@vectorkit/core`). Every key and value is a bound parameter.
 *
 * How each rule of the filter language maps to SQL:
 * - **Paths** walk objects only: `metadata -> $1::text -> $2::text`. With a *text* key, `->`
 *   returns NULL on arrays and scalars, which is the core's "missing".
 * - **Every leaf is two-valued** (wrapped in `coalesce(…, false)` or a `case` with an `else false`),
 *   so `NOT` is the exact complement: negations match missing keys and other types.
 * - **Equality** is jsonb equality (type-strict: `"5"` ≠ `5`, `true` ≠ `1`; numbers compare
 *   numerically, as JavaScript's `===` does on the doubles they came from). Arrays match when
 *   any *scalar* element matches: `v @> '[x]'` (jsonb containment does not look into nested
 *   arrays or objects, so they never match a scalar).
 * - **Ranges** compare JSON numbers only (`case jsonb_typeof(...) when 'number'`), as
 *   `numeric`; array elements are checked one by one.
 *
 * With `indexHints` (the default), equality leaves also carry a redundant `metadata @? '$."k" ? (@ == v)'`
 * condition, implied by the exact one, so the planner can choose the GIN (`jsonb_path_ops`)
 * index. With table statistics (autovacuum's, or the ANALYZE that `bulkLoad` runs) it then picks
 * well on its own: measured at 30k × 768, a 1%-selective filter went to the GIN bitmap plus an
 * exact sort (3.8 ms, recall 1.0, against 15.0 ms for the iterative HNSW scan), a 10% one stayed
 * on the HNSW index (2.9 ms).
 *
 * @example
 * ```ts
 * const where = filterToSql(parseFilter({ genre: 'drama', year: { $gte: 1990 } }))
 * await db.selectFrom('t').where(where).selectAll().execute()
 * ```
 */
export function filterToSql(
  node: FilterNode,
  column: RawBuilder<unknown> = sql.ref('metadata'),
  indexHints = true,
): RawBuilder<boolean> {
  switch (node.op) {
    case 'true':
      return sql<boolean>`true`
    case 'and':
    case 'or': {
      const parts = node.children.map((c) => sql`(${filterToSql(c, column, indexHints)})`)
      return sql<boolean>`(${sql.join(parts, node.op === 'and' ? sql` and ` : sql` or `)})`
    }
    case 'not':
      return sql<boolean>`(not ${filterToSql(node.child, column, indexHints)})`
    case 'exists':
      return sql<boolean>`(${valueAt(column, node.path)} is not null)`
    case 'eq': {
      const v = valueAt(column, node.path)
      const json = JSON.stringify(node.value)
      const exact = sql`coalesce(${v} = ${json}::jsonb or (jsonb_typeof(${v}) = 'array' and ${v} @> ${`[${json}]`}::jsonb), false)`
      if (!indexHints) return sql<boolean>`${exact}`
      return sql<boolean>`(${exact} and ${containsHint(column, node.path, node.value)})`
    }
    case 'in': {
      if (node.values.length === 0) return sql<boolean>`false`
      const v = valueAt(column, node.path)
      const values = node.values.map((x) => JSON.stringify(x))
      const wrapped = values.map((x) => `[${x}]`)
      return sql<boolean>`coalesce(${v} = any(${values}::jsonb[]) or (jsonb_typeof(${v}) = 'array' and ${v} @> any(${wrapped}::jsonb[])), false)`
    }
    case 'range': {
      const v = valueAt(column, node.path)
      const op = sql.raw(RANGE_OPS[node.cmp])
      const n = String(node.value)
      return sql<boolean>`(case jsonb_typeof(${v})
        when 'number' then (${v})::numeric ${op} ${n}::numeric
        when 'array' then exists (
          select 1 from jsonb_array_elements(${v}) as e(x)
          where case when jsonb_typeof(e.x) = 'number' then (e.x)::numeric ${op} ${n}::numeric else false end)
        else false end)`
    }
  }
}

// Fixed operator spellings chosen by a closed union, never by input text.
const RANGE_OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const

function valueAt(column: RawBuilder<unknown>, path: readonly string[]): RawBuilder<unknown> {
  let expr: RawBuilder<unknown> = column
  for (const key of path) expr = sql`${expr} -> ${key}::text`
  return expr
}

/**
 * `metadata @? '$."a"."b" ? (@ == value)'`: implied by equality and served by the GIN
 * (`jsonb_path_ops`) index in one scan. Lax mode also matches arrays holding the value (and walks
 * arrays of objects), so it is a superset of the exact condition it is ANDed with, never a
 * substitute. The jsonpath is a bound parameter; keys and strings are written as JSON strings,
 * whose escapes jsonpath shares.
 */
function containsHint(
  column: RawBuilder<unknown>,
  path: readonly string[],
  value: Scalar,
): RawBuilder<unknown> {
  const steps = path.map((k) => `.${JSON.stringify(k)}`).join('')
  const literal = typeof value === 'number' ? String(value === 0 ? 0 : value) : JSON.stringify(value)
  return sql`(${column} @? ${`$${steps} ? (@ == ${literal})`}::jsonpath)`
}
