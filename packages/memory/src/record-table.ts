import { compareIds, type Metadata } from '@vectorkit/core'

/**
 * The non-vector columns of a collection, indexed by row: id, metadata and expiry, plus the
 * id → row map. Vectors live in the index (in WebAssembly memory); this table is the JS side.
 *
 * Metadata is stored deep-frozen: callers receive the stored object itself, so reads cost no
 * copy, and nobody can change a stored record behind the store's back.
 *
 * @internal
 *
 * @example
 * ```ts
 * const t = new RecordTable()
 * t.set(0, 'a', { lang: 'en' }, 0)
 * t.rowOf.get('a') // 0
 * ```
 */
export class RecordTable {
  /** Id of each row; `undefined` for a free or deleted row. */
  ids: (string | undefined)[] = []
  metadata: (Metadata | undefined)[] = []
  /** Expiry in epoch ms per row; 0 = never. */
  expiresAt = new Float64Array(0)
  readonly rowOf = new Map<string, number>()
  /** Rows with an expiry (0 means no read has to look at {@link RecordTable.expiresAt}). */
  ttlRows = 0
  private sorted: string[] | undefined

  get size(): number {
    return this.rowOf.size
  }

  ensureCapacity(rows: number): void {
    if (rows <= this.expiresAt.length) return
    const next = new Float64Array(Math.max(rows, this.expiresAt.length * 2, 8))
    next.set(this.expiresAt)
    this.expiresAt = next
  }

  set(row: number, id: string, metadata: Metadata | undefined, expiresAt: number): void {
    this.ensureCapacity(row + 1)
    if (!this.rowOf.has(id)) this.sorted = undefined
    this.ids[row] = id
    this.metadata[row] = metadata === undefined ? undefined : deepFreeze(structuredClone(metadata))
    if (this.expiresAt[row] !== 0) this.ttlRows--
    this.expiresAt[row] = expiresAt
    if (expiresAt !== 0) this.ttlRows++
    this.rowOf.set(id, row)
  }

  /** Forgets the row's record (the index decides when the row itself can be reused). */
  clear(row: number): void {
    const id = this.ids[row]
    if (id === undefined) return
    this.rowOf.delete(id)
    this.sorted = undefined
    this.ids[row] = undefined
    this.metadata[row] = undefined
    if (this.expiresAt[row] !== 0) this.ttlRows--
    this.expiresAt[row] = 0
  }

  /** True when the row holds a record that has expired at `now`. */
  expired(row: number, now: number): boolean {
    const e = this.expiresAt[row]!
    return e !== 0 && e <= now
  }

  /** Live ids in code point order (cached until the next insert or delete). */
  sortedIds(): string[] {
    if (this.sorted === undefined) this.sorted = [...this.rowOf.keys()].sort(compareIds)
    return this.sorted
  }

  /** Index of the first id in {@link RecordTable.sortedIds} strictly after `after`. */
  firstAfter(after: string | undefined): number {
    const ids = this.sortedIds()
    if (after === undefined) return 0
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compareIds(ids[mid]!, after) <= 0) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Fills an empty table from exported columns (see `CollectionState.importState`). */
  restore(
    ids: readonly (string | null)[],
    metadata: readonly (Metadata | null)[],
    expiresAt: Float64Array,
  ): void {
    this.ensureCapacity(ids.length)
    this.expiresAt.set(expiresAt)
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r]
      if (id === null || id === undefined) continue
      this.ids[r] = id
      const m = metadata[r]
      this.metadata[r] = m === null || m === undefined ? undefined : deepFreeze(m)
      this.rowOf.set(id, r)
      if (expiresAt[r] !== 0) this.ttlRows++
    }
    this.sorted = undefined
  }

  /**
   * Heap bytes of ids and metadata, estimated (JS does not expose object sizes): ids exactly,
   * metadata from a sample of up to 1,000 rows, so `stats()` stays cheap on large collections.
   */
  estimateBytes(): number {
    let bytes = this.expiresAt.byteLength + this.ids.length * 16
    for (const id of this.rowOf.keys()) bytes += 40 + id.length * 2
    const rows = this.metadata.length
    const step = Math.max(1, Math.floor(rows / 1000))
    let sampled = 0
    let sampledBytes = 0
    for (let r = 0; r < rows; r += step) {
      sampled++
      const m = this.metadata[r]
      if (m !== undefined) sampledBytes += 64 + JSON.stringify(m).length * 2
    }
    return bytes + (sampled === 0 ? 0 : Math.round((sampledBytes / sampled) * rows))
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}
