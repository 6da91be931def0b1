/**
 * A small seeded generator (mulberry32): HNSW levels come from it, so the same seed and the
 * same writes build the same graph. Its whole state is one u32, easy to persist.
 *
 * @internal
 *
 * @example
 * ```ts
 * const r = new Rng(42)
 * r.next() // in (0, 1]
 * ```
 */
export class Rng {
  constructor(public state: number) {
    this.state = state >>> 0
  }

  /** A float in (0, 1]. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) + 1) / 4_294_967_296
  }
}
