import type { FlatIndexSpec } from '@vectorkit/core'
import type { TopK } from './heaps'
import type { Column } from './vector-column'
import { exactSearch, type IndexSearch, type VectorIndex } from './vector-index'

/**
 * The exact index: vectors in one contiguous slab, every search scores every (matching)
 * row. Deleted rows are reused by the next insert.
 *
 * @internal
 *
 * @example
 * ```ts
 * const index = new FlatIndex(column)
 * index.reserve(1)
 * const row = index.insert(vector)
 * ```
 */
export class FlatIndex implements VectorIndex {
  readonly type = 'flat'
  readonly spec: FlatIndexSpec = { type: 'flat' }
  readonly tombstones = 0
  private live = new Uint8Array(0)
  private free: number[] = []
  private limit = 0

  constructor(readonly column: Column) {}

  get rowLimit(): number {
    return this.limit
  }

  get bytes(): number {
    return this.column.bytes + this.live.byteLength
  }

  reserve(additional: number): void {
    const need = this.limit + Math.max(0, additional - this.free.length)
    this.column.ensureCapacity(need)
    if (this.live.length < this.column.capacity) {
      const next = new Uint8Array(this.column.capacity)
      next.set(this.live)
      this.live = next
    }
  }

  insert(vector: Float32Array): number {
    const row = this.free.length > 0 ? this.free.pop()! : this.limit++
    this.reserve(0)
    this.column.write(row, vector)
    this.live[row] = 1
    return row
  }

  remove(row: number): void {
    if (this.live[row] !== 1) return
    this.live[row] = 0
    this.free.push(row)
  }

  vector(row: number): Float32Array {
    return this.column.read(row)
  }

  search(query: Float32Array, params: IndexSearch, top: TopK): void {
    exactSearch(this.column, this.live, this.limit, query, params.accept, top)
  }

  toPublic(d: number): number {
    return this.column.toPublic(d)
  }

  details(): Record<string, unknown> {
    return { rows: this.limit, freeRows: this.free.length, simd: this.column.simd }
  }

  maintain(): void {}

  release(): void {
    this.column.release()
  }

  /** Snapshot of the index (internal; for persistence): liveness and the free-row list. */
  exportState(): { json: { limit: number; free: number[] }; live: Uint8Array } {
    return { json: { limit: this.limit, free: [...this.free] }, live: this.live.slice(0, this.limit) }
  }

  /** Restores {@link FlatIndex.exportState} output (the vectors are restored through the column). */
  importState(state: { json: { limit: number; free: number[] }; live: Uint8Array }): void {
    this.limit = state.json.limit
    this.free = [...state.json.free]
    this.reserve(0)
    this.column.ensureCapacity(this.limit)
    this.reserve(0)
    this.live.set(state.live)
  }
}
