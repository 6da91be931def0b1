import { compareIds } from '@vectorkit/core'

/** Parallel typed arrays (distance, row) that grow by doubling: the storage of both heaps. */
abstract class TypedHeap {
  dist: Float64Array
  rows: Uint32Array
  size = 0

  constructor(capacity = 64) {
    this.dist = new Float64Array(capacity)
    this.rows = new Uint32Array(capacity)
  }

  clear(): void {
    this.size = 0
  }

  topDist(): number {
    return this.dist[0]!
  }

  topRow(): number {
    return this.rows[0]!
  }

  protected grow(): void {
    const dist = new Float64Array(this.dist.length * 2)
    dist.set(this.dist)
    const rows = new Uint32Array(this.rows.length * 2)
    rows.set(this.rows)
    this.dist = dist
    this.rows = rows
  }
}

/**
 * Binary heaps on parallel typed arrays (distance, row), for the search loops: no objects per
 * entry, no allocation after warm-up.
 *
 * @internal
 *
 * @example
 * ```ts
 * const h = new MinHeap()
 * h.push(7, 0.5)
 * h.push(3, 0.1)
 * h.topRow() // 3
 * ```
 */
export class MinHeap extends TypedHeap {
  push(row: number, d: number): void {
    if (this.size === this.dist.length) this.grow()
    const dist = this.dist
    const rows = this.rows
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (dist[p]! <= d) break
      dist[i] = dist[p]!
      rows[i] = rows[p]!
      i = p
    }
    dist[i] = d
    rows[i] = row
  }

  /** Removes the smallest entry; read `topRow()`/`topDist()` before calling. */
  pop(): void {
    const n = --this.size
    if (n === 0) return
    siftDown(this.dist, this.rows, n, this.dist[n]!, this.rows[n]!, -1)
  }
}

/**
 * A max-heap (largest distance on top), used as a bounded "best ef so far" list.
 *
 * @example
 * ```ts
 * const h = new MaxHeap()
 * h.push(7, 0.5)
 * h.push(3, 0.1)
 * h.topDist() // 0.5
 * ```
 */
export class MaxHeap extends TypedHeap {
  push(row: number, d: number): void {
    if (this.size === this.dist.length) this.grow()
    const dist = this.dist
    const rows = this.rows
    let i = this.size++
    while (i > 0) {
      const p = (i - 1) >> 1
      if (dist[p]! >= d) break
      dist[i] = dist[p]!
      rows[i] = rows[p]!
      i = p
    }
    dist[i] = d
    rows[i] = row
  }

  pop(): void {
    const n = --this.size
    if (n === 0) return
    siftDown(this.dist, this.rows, n, this.dist[n]!, this.rows[n]!, 1)
  }
}

/** Sift `(d, row)` down from the root of a heap of `n` entries; `sign` 1 = max-heap, -1 = min-heap. */
function siftDown(
  dist: Float64Array,
  rows: Uint32Array,
  n: number,
  d: number,
  row: number,
  sign: number,
): void {
  let i = 0
  for (;;) {
    let c = 2 * i + 1
    if (c >= n) break
    const r = c + 1
    if (r < n && sign * dist[r]! > sign * dist[c]!) c = r
    if (sign * dist[c]! <= sign * d) break
    dist[i] = dist[c]!
    rows[i] = rows[c]!
    i = c
  }
  dist[i] = d
  rows[i] = row
}

/**
 * The best `k` (row, distance) pairs seen, ties broken by id (code point order) so results
 * are deterministic: a max-heap of the current worst on top.
 *
 * @internal
 *
 * @example
 * ```ts
 * const top = new TopK(2, ids)
 * top.push(4, 0.3)
 * top.push(9, 0.1)
 * top.sorted() // [{ row: 9, dist: 0.1 }, { row: 4, dist: 0.3 }]
 * ```
 */
export class TopK {
  readonly dist: Float64Array
  readonly rows: Uint32Array
  size = 0

  constructor(
    readonly k: number,
    private readonly ids: readonly (string | undefined)[],
  ) {
    this.dist = new Float64Array(k)
    this.rows = new Uint32Array(k)
  }

  clear(): void {
    this.size = 0
  }

  /** True when `(d, row)` would enter the list now. */
  accepts(row: number, d: number): boolean {
    if (this.size < this.k) return true
    const w = this.dist[0]!
    return d < w || (d === w && this.worse(this.rows[0]!, row))
  }

  push(row: number, d: number): void {
    if (this.size < this.k) {
      let i = this.size++
      while (i > 0) {
        const p = (i - 1) >> 1
        if (!this.before(this.rows[p]!, this.dist[p]!, row, d)) break
        this.dist[i] = this.dist[p]!
        this.rows[i] = this.rows[p]!
        i = p
      }
      this.dist[i] = d
      this.rows[i] = row
      return
    }
    if (!this.accepts(row, d)) return
    const n = this.size
    let i = 0
    for (;;) {
      let c = 2 * i + 1
      if (c >= n) break
      const r = c + 1
      if (r < n && this.before(this.rows[c]!, this.dist[c]!, this.rows[r]!, this.dist[r]!)) c = r
      if (!this.before(row, d, this.rows[c]!, this.dist[c]!)) break
      this.dist[i] = this.dist[c]!
      this.rows[i] = this.rows[c]!
      i = c
    }
    this.dist[i] = d
    this.rows[i] = row
  }

  /** Entries sorted best first, as `[row, distance]` index pairs into the heap arrays. */
  sorted(): { row: number; dist: number }[] {
    const out: { row: number; dist: number }[] = []
    for (let i = 0; i < this.size; i++) out.push({ row: this.rows[i]!, dist: this.dist[i]! })
    out.sort((a, b) => a.dist - b.dist || compareIds(this.ids[a.row]!, this.ids[b.row]!))
    return out
  }

  /** True when row `a` (distance da) ranks after row `b` (distance db). */
  private before(a: number, da: number, b: number, db: number): boolean {
    return da < db || (da === db && this.worse(b, a))
  }

  /** True when, at equal distance, row `a` ranks after row `b` (larger id). */
  private worse(a: number, b: number): boolean {
    return compareIds(this.ids[a]!, this.ids[b]!) > 0
  }
}
