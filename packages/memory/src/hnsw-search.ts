import { MaxHeap, MinHeap } from './heaps'
import { type HnswGraph, LIVE } from './hnsw-graph'
import type { Scorer } from './vector-column'
import type { RowFilter } from './vector-index'

/**
 * The search loops of HNSW with their reusable state: two typed-array heaps and a visited
 * set that is cleared by bumping a generation counter, not by zeroing. One per index; a search
 * or insert allocates nothing once the buffers have grown to size.
 *
 * @internal
 *
 * @example
 * ```ts
 * searcher.greedy(scorer, entry, entryDist, graph.maxLevel, 0)
 * searcher.searchLayer(scorer, searcher.ep, searcher.epDist, 64, 0, undefined)
 * ```
 */
export class HnswSearcher {
  readonly candidates = new MinHeap(64)
  readonly results = new MaxHeap(64)
  /** Set by {@link HnswSearcher.greedy}: the closest row found and its distance. */
  ep = 0
  epDist = 0
  private marks = new Uint16Array(0)
  private gen = 0

  constructor(private readonly graph: HnswGraph) {}

  /** Starts a new visited generation covering every row of the graph. */
  private nextGeneration(): number {
    if (this.marks.length < this.graph.capacity) {
      this.marks = new Uint16Array(this.graph.capacity)
      this.gen = 0
    }
    if (++this.gen === 65_536) {
      this.marks.fill(0)
      this.gen = 1
    }
    return this.gen
  }

  /**
   * Greedy descent from `ep` (distance `epDist`) through layers `from` down to `to + 1`,
   * one best neighbour at a time. Leaves the result in {@link HnswSearcher.ep}.
   */
  greedy(scorer: Scorer, ep: number, epDist: number, from: number, to: number): void {
    const g = this.graph
    for (let level = from; level > to; level--) {
      const lists = g.lists(level)
      let changed = true
      while (changed) {
        changed = false
        const off = g.offset(ep, level)
        const count = lists[off]!
        if (count === 0) break
        const ids = scorer.ids
        const io = scorer.idsOffset
        for (let j = 0; j < count; j++) ids[io + j] = lists[off + 1 + j]!
        scorer.gather(count)
        const out = scorer.out
        const oo = scorer.outOffset
        for (let j = 0; j < count; j++) {
          const d = out[oo + j]!
          if (d < epDist) {
            epDist = d
            ep = ids[io + j]!
            changed = true
          }
        }
      }
    }
    this.ep = ep
    this.epDist = epDist
  }

  /**
   * Best-first search of one layer from `ep`, keeping the `ef` closest *acceptable* rows in
   * {@link HnswSearcher.results} (a max-heap). Rows that are tombstones or fail `accept` are
   * walked through (the graph stays connected) but never enter the results.
   */
  searchLayer(
    scorer: Scorer,
    ep: number,
    epDist: number,
    ef: number,
    level: number,
    accept: RowFilter,
  ): void {
    const g = this.graph
    const state = g.state
    const lists = g.lists(level)
    const cand = this.candidates
    const res = this.results
    cand.clear()
    res.clear()
    const gen = this.nextGeneration()
    const marks = this.marks
    marks[ep] = gen
    cand.push(ep, epDist)
    if (state[ep] === LIVE && (accept === undefined || accept(ep))) res.push(ep, epDist)
    const ids = scorer.ids
    const io = scorer.idsOffset
    const out = scorer.out
    const oo = scorer.outOffset
    while (cand.size > 0) {
      const cd = cand.topDist()
      if (res.size >= ef && cd > res.topDist()) break
      const c = cand.topRow()
      cand.pop()
      const off = g.offset(c, level)
      const count = lists[off]!
      let n = 0
      for (let j = 1; j <= count; j++) {
        const nb = lists[off + j]!
        if (marks[nb] === gen) continue
        marks[nb] = gen
        ids[io + n++] = nb
      }
      if (n === 0) continue
      scorer.gather(n)
      for (let j = 0; j < n; j++) {
        const d = out[oo + j]!
        if (res.size < ef || d < res.topDist()) {
          const nb = ids[io + j]!
          cand.push(nb, d)
          if (state[nb] === LIVE && (accept === undefined || accept(nb))) {
            res.push(nb, d)
            if (res.size > ef) res.pop()
          }
        }
      }
    }
  }
}
