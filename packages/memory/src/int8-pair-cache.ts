import type { VectorSlab } from './kernels/index'
import type { Calibration } from './quantizer'

/** Stored rows kept prepared as int8 queries for pair distances (graph building without floats). */
export const PAIR_SLOTS = 64

/**
 * A small cache of stored int8 rows prepared as int8 *queries*, for the pair distances the
 * HNSW heuristic needs when the float vectors are gone (int8 without rerank). Preparing a row
 * costs a pass over it in JS; the heuristic's loops compare one candidate with every kept
 * neighbour, or one list owner with each of its neighbours, so caching the side that repeats
 * makes each row prepared about once per loop.
 *
 * The prepared rows live in WebAssembly memory next to the column's query (the caller owns that
 * block, `PAIR_SLOTS` rows of `rowBytes` starting at `base`); the cache keeps the per-slot
 * constants: `[scale, bias, norm]` at `consts[slot * 3 ..]`.
 *
 * @example
 * ```ts
 * const slot = cache.pick(a, b, slab, calibration, base)
 * const raw = slab.kernels.dotI8(base + slot * slab.rowBytes, slab.ptr(cache.other), slab.paddedDim)
 * ```
 *
 * @internal
 */
export class PairQueryCache {
  /** Constants per slot: scale, bias (Σ b_i x̂_i), norm (‖x̂‖²). */
  readonly consts = new Float64Array(PAIR_SLOTS * 3)
  /** After {@link PairQueryCache.pick}: the row the cached query is scored against. */
  other = 0
  private slotOf = new Int32Array(0)
  private readonly slotRow = new Int32Array(PAIR_SLOTS).fill(-1)
  private nextSlot = 0
  private lastA = -1
  private readonly u: Float32Array

  constructor(readonly dim: number) {
    this.u = new Float32Array(dim)
  }

  /** Makes room for rows `0 .. capacity-1`. */
  grow(capacity: number): void {
    if (this.slotOf.length >= capacity) return
    const next = new Int32Array(capacity)
    next.set(this.slotOf)
    this.slotOf = next
  }

  /** Forgets `row` (its stored vector changed). */
  invalidate(row: number): void {
    const slot = row < this.slotOf.length ? this.slotOf[row]! - 1 : -1
    if (slot >= 0) this.drop(slot)
  }

  /** Forgets everything (the prepared rows moved). */
  clear(): void {
    for (let i = 0; i < PAIR_SLOTS; i++) this.drop(i)
  }

  /**
   * The slot holding `b` or `a` prepared as a query (preparing one when neither is), and in
   * {@link PairQueryCache.other} the row to score it against.
   */
  pick(a: number, b: number, slab: VectorSlab, cal: Calibration, base: number): number {
    let slot = this.slotOf[b]! - 1
    this.other = a
    if (slot < 0) {
      slot = this.slotOf[a]! - 1
      this.other = b
    }
    if (slot < 0) {
      // The side that repeats (same `a` as last call: a list being shrunk) is worth caching.
      const key = a === this.lastA ? a : b
      slot = this.fill(key, slab, cal, base)
      this.other = key === a ? b : a
    }
    this.lastA = a
    return slot
  }

  /** Prepares `row`'s dequantized vector x̂ = a ∘ r + b as a query (u = a ∘ x̂, one scale) in one pass. */
  private fill(row: number, slab: VectorSlab, cal: Calibration, base: number): number {
    const slot = this.nextSlot
    this.nextSlot = (slot + 1) % PAIR_SLOTS
    if (this.slotRow[slot]! >= 0) this.drop(slot)
    const { step, offset } = cal
    const i8 = slab.heap.i8
    const src = slab.ptr(row)
    const u = this.u
    let max = 0
    let bias = 0
    let norm = 0
    for (let i = 0; i < this.dim; i++) {
      const a = step[i]!
      const x = a * i8[src + i]! + offset[i]!
      const v = a * x
      u[i] = v
      if (v > max) max = v
      else if (-v > max) max = -v
      bias += offset[i]! * x
      norm += x * x
    }
    const inv = max === 0 ? 1 : 127 / max
    const dst = base + slot * slab.rowBytes
    for (let i = 0; i < this.dim; i++) i8[dst + i] = Math.round(u[i]! * inv)
    this.consts[slot * 3] = max === 0 ? 1 : max / 127
    this.consts[slot * 3 + 1] = bias
    this.consts[slot * 3 + 2] = norm
    this.slotRow[slot] = row
    this.slotOf[row] = slot + 1
    return slot
  }

  private drop(slot: number): void {
    const row = this.slotRow[slot]!
    if (row >= 0 && row < this.slotOf.length) this.slotOf[row] = 0
    this.slotRow[slot] = -1
  }
}
