import {
  compileFilter,
  type FilterNode,
  type Metadata,
  type ResolvedCollectionSpec,
  type ValidRecord,
  type ValidSearchOptions,
  type VectorRecord,
} from '@vectorkit/core'
import { TopK } from './heaps'
import { RecordTable } from './record-table'
import type { ColumnState } from './vector-column'
import type { RowFilter, VectorIndex } from './vector-index'

/**
 * Plain-data image of one collection: typed arrays plus JSON-able values, nothing shared with
 * the live state. `importState` takes it back without re-inserting anything (the HNSW graph is
 * loaded, not rebuilt). Internal; the persistence layer encodes it.
 *
 * @example
 * ```ts
 * const snap = store.states.get('docs')!.exportState()
 * fresh.states.get('docs')!.importState(snap)
 * ```
 */
export interface CollectionSnapshot {
  /** Rows in use: every per-row array below has this length (vectors: rows × dimensions). */
  rows: number
  /** `index.exportState()`: flat liveness, or HNSW graph, levels, entry point, tombstones, RNG state. */
  index: unknown
  /** `index.column.exportState(rows)`: vectors (float32 and/or int8 with calibration). */
  column: ColumnState
  /** Id per row, `null` for free or deleted rows. */
  ids: (string | null)[]
  /** Metadata per row (the stored frozen objects; encode them before mutating anything). */
  metadata: (Metadata | null)[]
  /** Expiry per row in epoch ms, 0 = never. */
  expiresAt: Float64Array
}

/** One search hit before it becomes a public `SearchHit`. */
export interface RowHit {
  row: number
  distance: number
}

/**
 * The whole state of one collection — records table plus vector index — with synchronous
 * operations only. `MemoryCollection` wraps it in the async public API; every write reaches
 * it through `MemoryStore`'s single apply path.
 *
 * @internal
 *
 * @example
 * ```ts
 * const state = new CollectionState('docs', spec, createIndex(spec, 'docs', { seed: 1, forceJs: false }))
 * state.applyUpsert(validateRecords(records, spec))
 * ```
 */
export class CollectionState {
  readonly table = new RecordTable()
  /** Set when a read skipped an expired record, so the store can purge soon. */
  sawExpired = false

  constructor(
    readonly name: string,
    readonly spec: ResolvedCollectionSpec,
    readonly index: VectorIndex,
  ) {}

  /** Applies a validated batch: the last record wins for repeated ids. */
  applyUpsert(records: readonly ValidRecord[]): void {
    const last = new Map<string, number>()
    for (let i = 0; i < records.length; i++) last.set(records[i]!.id, i)
    // Reserve first: the only thing that can fail here is memory, and it fails before any write.
    this.index.reserve(last.size)
    this.table.ensureCapacity(this.index.rowLimit + last.size)
    for (const i of last.values()) {
      const r = records[i]!
      const old = this.table.rowOf.get(r.id)
      if (old !== undefined) {
        this.table.clear(old)
        this.index.remove(old)
      }
      const row = this.index.insert(r.vector)
      this.table.set(row, r.id, r.metadata, r.expiresAt === undefined ? 0 : r.expiresAt.getTime())
    }
    this.index.maintain()
  }

  /** Deletes the ids that exist; returns how many of them were visible at `now`. */
  applyDelete(ids: readonly string[], now: number): number {
    let visible = 0
    for (const id of ids) {
      const row = this.table.rowOf.get(id)
      if (row === undefined) continue
      if (!this.table.expired(row, now)) visible++
      this.table.clear(row)
      this.index.remove(row)
    }
    this.index.maintain()
    return visible
  }

  /** Ids of visible records matching `filter`. */
  idsMatching(filter: FilterNode, now: number): string[] {
    const accept = this.rowFilter(filter, undefined, now)
    const out: string[] = []
    for (const [id, row] of this.table.rowOf) if (accept === undefined || accept(row)) out.push(id)
    return out
  }

  /** Ids whose expiry has passed at `now`. */
  expiredIds(now: number): string[] {
    if (this.table.ttlRows === 0) return []
    const out: string[] = []
    for (const [id, row] of this.table.rowOf) if (this.table.expired(row, now)) out.push(id)
    return out
  }

  get(ids: readonly string[], now: number): VectorRecord[] {
    const out: VectorRecord[] = []
    for (const id of ids) {
      const row = this.table.rowOf.get(id)
      if (row === undefined) continue
      if (this.table.expired(row, now)) {
        this.sawExpired = true
        continue
      }
      out.push(this.record(row))
    }
    return out
  }

  count(filter: FilterNode, now: number): number {
    const accept = this.rowFilter(filter, undefined, now)
    if (accept === undefined) return this.table.size
    let n = 0
    for (const row of this.table.rowOf.values()) if (accept(row)) n++
    return n
  }

  /** Up to `batchSize` visible records matching `filter`, in id order, after the cursor. */
  scanBatch(after: string | undefined, batchSize: number, filter: FilterNode, now: number): VectorRecord[] {
    const accept = this.rowFilter(filter, undefined, now)
    const ids = this.table.sortedIds()
    const out: VectorRecord[] = []
    for (let i = this.table.firstAfter(after); i < ids.length && out.length < batchSize; i++) {
      const row = this.table.rowOf.get(ids[i]!)!
      if (accept === undefined || accept(row)) out.push(this.record(row))
    }
    return out
  }

  search(query: Float32Array, o: ValidSearchOptions, now: number): RowHit[] {
    const accept = this.rowFilter(o.filter, o.excludeIds, now)
    const top = new TopK(o.k, this.table.ids)
    const selectivity =
      accept === undefined || this.index.type === 'flat' ? 1 : this.estimateSelectivity(accept)
    this.index.search(query, { k: o.k, accept, selectivity, efSearch: o.efSearch, exact: o.exact }, top)
    const hits = top.sorted()
    const out: RowHit[] = new Array(hits.length)
    for (let i = 0; i < hits.length; i++) {
      const h = hits[i]!
      out[i] = { row: h.row, distance: this.index.toPublic(h.dist) }
    }
    return out
  }

  /** Copies the collection's state at this instant (synchronous: one point between two mutations). */
  exportState(): CollectionSnapshot {
    const rows = this.index.rowLimit
    const t = this.table
    const ids: (string | null)[] = new Array(rows)
    const metadata: (Metadata | null)[] = new Array(rows)
    for (let r = 0; r < rows; r++) {
      ids[r] = t.ids[r] ?? null
      metadata[r] = t.metadata[r] ?? null
    }
    return {
      rows,
      index: this.index.exportState(),
      column: this.index.column.exportState(rows),
      ids,
      metadata,
      expiresAt: t.expiresAt.slice(0, rows),
    }
  }

  /** Loads {@link CollectionState.exportState} output into this fresh, empty collection. */
  importState(s: CollectionSnapshot): void {
    this.index.importState(s.index as never)
    this.index.column.importState(s.column, s.rows)
    this.table.restore(s.ids, s.metadata, s.expiresAt)
  }

  /** A public record for a live row (vector copied, metadata shared frozen). */
  record(row: number): VectorRecord {
    const rec: VectorRecord = { id: this.table.ids[row]!, vector: this.index.vector(row) }
    const m = this.table.metadata[row]
    if (m !== undefined) rec.metadata = m
    const e = this.table.expiresAt[row]!
    if (e !== 0) rec.expiresAt = new Date(e)
    return rec
  }

  metadataOf(row: number): Metadata | undefined {
    return this.table.metadata[row]
  }

  /**
   * One predicate for filter, excluded ids and expiry, or `undefined` when every live row
   * passes (the fast path of the indexes).
   */
  rowFilter(filter: FilterNode, exclude: Set<string> | undefined, now: number): RowFilter {
    const table = this.table
    const pred = filter.op === 'true' ? undefined : compileFilter(filter)
    const ttl = table.ttlRows > 0
    if (pred === undefined && exclude === undefined && !ttl) return undefined
    return (row) => {
      if (ttl && table.expired(row, now)) {
        this.sawExpired = true
        return false
      }
      if (exclude?.has(table.ids[row]!)) return false
      return pred === undefined || pred(table.metadata[row])
    }
  }

  /** Share of live records passing `accept`, from a deterministic sample of up to 256 rows. */
  private estimateSelectivity(accept: (row: number) => boolean): number {
    const limit = this.index.rowLimit
    const live = this.table.size
    if (live === 0) return 1
    const step = Math.max(1, Math.floor(limit / 256))
    let seen = 0
    let pass = 0
    for (let r = 0; r < limit; r += step) {
      if (this.table.ids[r] === undefined) continue
      seen++
      if (accept(r)) pass++
    }
    return seen === 0 ? 1 : pass / seen
  }
}
