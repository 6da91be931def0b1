import type { FlatIndexSpec, ResolvedHnswIndexSpec } from '@vectorkit/core'
import type { TopK } from './heaps'
import type { VectorColumn } from './vector-column'

/** A row predicate: filter, `excludeIds` and TTL folded into one test. `undefined` = every live row. */
export type RowFilter = ((row: number) => boolean) | undefined

/**
 * What an index needs to know about one search.
 *
 * @internal
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
  /** Housekeeping after a write batch (HNSW: repair when tombstones pile up). */
  maintain(): void
  /** Frees WebAssembly memory. */
  release(): void
}

/**
 * Exact top-k over `rows` live rows: filters first (so the result is exact under any filter),
 * then scores only what passed, in batches through the kernels.
 *
 * @internal
 */
export function exactSearch(
  column: VectorColumn,
  live: Uint8Array,
  rows: number,
  query: Float32Array,
  accept: RowFilter,
  top: TopK,
): void {
  if (rows === 0) return
  if (accept === undefined) {
    column.prepare(query, rows)
    column.scan(rows)
    const out = column.store.out
    const o = column.store.outOffset
    for (let r = 0; r < rows; r++) if (live[r] === 1) top.push(r, out[o + r]!)
    return
  }
  const chunk = Math.min(rows, 4096)
  column.prepare(query, chunk)
  let count = 0
  for (let r = 0; r < rows; r++) {
    if (live[r] !== 1 || !accept(r)) continue
    // Views are re-read per use: nothing here allocates, but the store owns them.
    column.store.ids[column.store.idsOffset + count++] = r
    if (count === chunk) {
      flush(column, count, top)
      count = 0
    }
  }
  if (count > 0) flush(column, count, top)
}

function flush(column: VectorColumn, count: number, top: TopK): void {
  column.gather(count)
  const s = column.store
  for (let j = 0; j < count; j++) top.push(s.ids[s.idsOffset + j]!, s.out[s.outOffset + j]!)
}
