/**
 * Free byte ranges of one heap, kept sorted by start and coalesced, so that freeing every
 * block always gives back one range. Bookkeeping lives in JS arrays, not in wasm memory, so
 * a stray kernel write can never corrupt the allocator.
 *
 * Allocation is first-fit. Blocks are allocated rarely (collections grow geometrically), so
 * the linear search is not on any hot path.
 *
 * @example
 * ```ts
 * const free = new FreeList()
 * free.add(16, 1024)
 * const at = free.take(64) // 16
 * free.add(at!, 64) // coalesces back into [16, 1040)
 * ```
 */
export class FreeList {
  private readonly starts: number[] = []
  private readonly sizes: number[] = []
  private totalBytes = 0

  /** Number of disjoint free ranges. */
  get ranges(): number {
    return this.starts.length
  }

  /** Sum of all free range sizes. */
  get total(): number {
    return this.totalBytes
  }

  /** Index of the first range starting at or after `start`. */
  private lowerBound(start: number): number {
    let lo = 0
    let hi = this.starts.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.starts[mid]! < start) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Returns `[start, start + size)` to the free set, merging with adjacent ranges. */
  add(start: number, size: number): void {
    if (size <= 0) return
    const i = this.lowerBound(start)
    const prev = i - 1
    const prevEnd = prev >= 0 ? this.starts[prev]! + this.sizes[prev]! : -1
    const nextStart = i < this.starts.length ? this.starts[i]! : Number.POSITIVE_INFINITY
    if (prevEnd > start || start + size > nextStart) {
      throw new Error(`FreeList: range [${start}, ${start + size}) overlaps a free range (double free?)`)
    }
    this.totalBytes += size
    const joinPrev = prevEnd === start
    const joinNext = start + size === nextStart
    if (joinPrev && joinNext) {
      this.sizes[prev]! += size + this.sizes[i]!
      this.starts.splice(i, 1)
      this.sizes.splice(i, 1)
    } else if (joinPrev) {
      this.sizes[prev]! += size
    } else if (joinNext) {
      this.starts[i] = start
      this.sizes[i]! += size
    } else {
      this.starts.splice(i, 0, start)
      this.sizes.splice(i, 0, size)
    }
  }

  /** Removes and returns the start of the first range of at least `size` bytes. */
  take(size: number): number | undefined {
    for (let i = 0; i < this.starts.length; i++) {
      const available = this.sizes[i]!
      if (available < size) continue
      const start = this.starts[i]!
      this.cut(i, start, size)
      return start
    }
    return undefined
  }

  /**
   * Takes `[start, start + size)` if it lies inside one free range that begins exactly at
   * `start` (used to extend a block in place). Returns whether it did.
   */
  takeAt(start: number, size: number): boolean {
    const i = this.lowerBound(start)
    if (i >= this.starts.length || this.starts[i] !== start || this.sizes[i]! < size) return false
    this.cut(i, start, size)
    return true
  }

  /** Size of the free range that ends exactly at `end`, or 0. */
  sizeEndingAt(end: number): number {
    const i = this.lowerBound(end) - 1
    if (i < 0) return 0
    return this.starts[i]! + this.sizes[i]! === end ? this.sizes[i]! : 0
  }

  /** Size of the free range that starts exactly at `start`, or 0. */
  sizeStartingAt(start: number): number {
    const i = this.lowerBound(start)
    return i < this.starts.length && this.starts[i] === start ? this.sizes[i]! : 0
  }

  private cut(i: number, start: number, size: number): void {
    this.totalBytes -= size
    if (this.sizes[i] === size) {
      this.starts.splice(i, 1)
      this.sizes.splice(i, 1)
    } else {
      this.starts[i] = start + size
      this.sizes[i]! -= size
    }
  }
}
