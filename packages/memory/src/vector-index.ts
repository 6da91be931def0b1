import type { FlatIndexSpec, ResolvedHnswIndexSpec } from '@vectorkit/core'
import { MaxHeap, type TopK } from './heaps'
import type { Column, Scorer } from './vector-column'

/** A row predicate: filter, `excludeIds` and TTL folded into one test. `undefined` = every live row. */
export type RowFilter = ((row: number) => boolean) | undefined

/**
 * What an index needs to know about one search.
 *
 * @internal
 *
 * @example
 * ```ts
 * index.search(q, { k: 10, accept: undefined, selectivity: 1, efSearch: 64, exact: false }, top)
 * ```
 */
export interface IndexSearch {
  k: number
  /** Rows a hit may come from; the index adds its own liveness check. */
  accept: RowFilter
  /** Estimated share of live rows `accept` lets through (1 when there is no filter). */
  selectivity: number
  efSearch: number | undefined
  exact: boolean
}

/**
 * The internal interface both indexes implement. Rows are small integers the index hands
 * out; the collection keeps ids and metadata per row in a `RecordTable`.
 *
 * All methods are synchronous: the collection applies a whole batch inside one call stack,
 * so a batch is all-or-nothing and visible at once.
 *
 * @internal
 *
 * @example
 * ```ts
 * const row = index.insert(vector)
 * index.search(query, { k: 5, accept: undefined, selectivity: 1, efSearch: undefined, exact: false }, top)
 * index.remove(row)
 * ```
 */
export interface VectorIndex {
  readonly type: 'flat' | 'hnsw'
  readonly spec: FlatIndexSpec | ResolvedHnswIndexSpec
  /** One past the highest row ever handed out. */
  readonly rowLimit: number
  /** Deleted rows still held by the index (HNSW tombstones). */
  readonly tombstones: number
  /** Makes sure `additional` inserts cannot fail for lack of memory; throws before any write. */
  reserve(additional: number): void
  /** Stores a vector and returns its row. */
  insert(vector: Float32Array): number
  /** Deletes a row: it is never returned again. */
  remove(row: number): void
  /** Stored vector of a live row (a copy). */
  vector(row: number): Float32Array
  /** Adds the best hits to `top` as (row, ranking distance). */
  search(query: Float32Array, params: IndexSearch, top: TopK): void
  /** Converts a ranking distance to the public distance. */
  toPublic(d: number): number
  /** Bytes used by vectors and index structures. */
  readonly bytes: number
  /** Index-specific facts for `CollectionStats.details`. */
  details(): Record<string, unknown>
  /** The vectors (internal; persistence exports them through `column.exportState`). */
  readonly column: Column
  /** Plain-data snapshot of the index structure, without vectors (internal; persistence). */
  exportState(): unknown
  /** Restores {@link VectorIndex.exportState} output into a fresh index of the same spec. */
  importState(state: never): void
  /** Housekeeping after a write batch (HNSW: repair when tombstones pile up). */
  maintain(): void
  /** Frees WebAssembly memory. */
  release(): void
}

/**
 * Exact top-k over `rows` live rows: filters first (so the result is exact under any filter),
 * then scores only what passed, in batches through the kernels. With a quantized column the
 * scan ranks on int8 distances and the best `max(4k, 40)` are re-scored exactly.
 *
 * @internal
 *
 * @example
 * ```ts
 * exactSearch(column, live, rows, query, (row) => table.metadata[row]?.lang === 'en', top)
 * ```
 */
export function exactSearch(
  column: Column,
  live: Uint8Array,
  rows: number,
  query: Float32Array,
  accept: RowFilter,
  top: TopK,
): void {
  if (rows === 0) return
  const rerank = column.rerankScorer
  const pool = rerank === undefined ? undefined : new MaxHeap(Math.max(4 * top.k, 40))
  const limit = pool === undefined ? 0 : Math.max(4 * top.k, 40)
  const push =
    pool === undefined
      ? (row: number, d: number) => top.push(row, d)
      : (row: number, d: number) => {
          if (pool.size < limit) pool.push(row, d)
          else if (d < pool.topDist()) {
            pool.pop()
            pool.push(row, d)
          }
        }
  if (accept === undefined) {
    column.prepare(query, rows)
    column.scan(rows)
    const out = column.out
    const o = column.outOffset
    if (pool === undefined) {
      for (let r = 0; r < rows; r++) if (live[r] === 1) top.push(r, out[o + r]!)
    } else {
      for (let r = 0; r < rows; r++) if (live[r] === 1) push(r, out[o + r]!)
    }
  } else {
    const chunk = Math.min(rows, 4096)
    column.prepare(query, chunk)
    let count = 0
    for (let r = 0; r < rows; r++) {
      if (live[r] !== 1 || !accept(r)) continue
      column.ids[column.idsOffset + count++] = r
      if (count === chunk) {
        flush(column, count, push)
        count = 0
      }
    }
    if (count > 0) flush(column, count, push)
  }
  if (pool !== undefined && rerank !== undefined) rescore(rerank, query, pool.rows, pool.size, top)
}

function flush(column: Scorer, count: number, push: (row: number, d: number) => void): void {
  column.gather(count)
  for (let j = 0; j < count; j++) push(column.ids[column.idsOffset + j]!, column.out[column.outOffset + j]!)
}

/**
 * Re-scores `count` candidate rows with exact distances and offers them to `top`.
 *
 * @example
 * ```ts
 * rescore(floatColumn, query, candidates, count, top)
 * ```
 */
export function rescore(
  scorer: Scorer,
  query: Float32Array,
  rows: Uint32Array,
  count: number,
  top: TopK,
): void {
  if (count === 0) return
  scorer.prepare(query, count)
  const ids = scorer.ids
  const io = scorer.idsOffset
  for (let j = 0; j < count; j++) ids[io + j] = rows[j]!
  scorer.gather(count)
  const out = scorer.out
  const oo = scorer.outOffset
  for (let j = 0; j < count; j++) top.push(ids[io + j]!, out[oo + j]!)
}
