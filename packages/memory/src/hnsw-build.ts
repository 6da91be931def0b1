import type { HnswGraph } from './hnsw-graph'
import type { HnswSearcher } from './hnsw-search'
import type { Rng } from './rng'
import type { Scorer } from './vector-column'

/** Highest layer a node may get (the expected top layer of a billion nodes is ~7 at m 16). */
const MAX_LEVEL = 30

/**
 * Incremental HNSW construction: level draw, layer-by-layer search with `efConstruction`,
 * neighbour selection with the heuristic of Malkov & Yashunin (keep a candidate only if it is
 * closer to the new node than to every neighbour kept so far, which spreads links across
 * clusters), and reverse links shrunk by the same heuristic when a list overflows.
 *
 * @internal
 *
 * @example
 * ```ts
 * const level = builder.randomLevel()
 * const row = graph.allocRow(level)
 * scorer.prepare(vector, 2 * graph.m + 1)
 * builder.link(row, level)
 * ```
 */
export class HnswBuilder {
  private readonly mL: number
  private candRows = new Uint32Array(64)
  private candDist = new Float64Array(64)
  private selRows = new Uint32Array(64)
  private shrinkRows: Uint32Array
  private shrinkDist: Float64Array
  private shrinkSel: Uint32Array

  constructor(
    private readonly graph: HnswGraph,
    private readonly searcher: HnswSearcher,
    /** Scorer for construction distances; the index swaps it when a column changes mode. */
    public scorer: Scorer,
    private readonly efConstruction: number,
    private readonly rng: Rng,
  ) {
    this.mL = 1 / Math.log(Math.max(2, graph.m))
    this.shrinkRows = new Uint32Array(graph.m0 + 1)
    this.shrinkDist = new Float64Array(graph.m0 + 1)
    this.shrinkSel = new Uint32Array(graph.m0 + 1)
  }

  randomLevel(): number {
    return Math.min(MAX_LEVEL, Math.floor(-Math.log(this.rng.next()) * this.mL))
  }

  /**
   * Links `row` (already allocated at `level` in the graph, its vector already stored) into
   * the graph. `scorer` must have the row's vector loaded as the query, with room for at
   * least `2m + 1` ids.
   */
  link(row: number, level: number): void {
    const g = this.graph
    const scorer = this.scorer
    // The first live node (or the only one left among tombstones) becomes the entry point.
    if (g.entry < 0 || g.live === 1) {
      g.entry = row
      g.maxLevel = level
      return
    }
    let ep = g.entry
    scorer.ids[scorer.idsOffset] = ep
    scorer.gather(1)
    let epDist = scorer.out[scorer.outOffset]!
    const s = this.searcher
    if (g.maxLevel > level) {
      s.greedy(scorer, ep, epDist, g.maxLevel, level)
      ep = s.ep
      epDist = s.epDist
    }
    for (let l = Math.min(level, g.maxLevel); l >= 0; l--) {
      s.searchLayer(scorer, ep, epDist, this.efConstruction, l, undefined)
      const n = this.drainResults()
      if (n === 0) continue
      ep = this.candRows[0]!
      epDist = this.candDist[0]!
      const count = this.select(this.candRows, this.candDist, n, g.m, this.selRows)
      const lists = g.lists(l)
      const off = g.offset(row, l)
      lists[off] = count
      for (let j = 0; j < count; j++) lists[off + 1 + j] = this.selRows[j]!
      for (let j = 0; j < count; j++) this.addLink(this.selRows[j]!, row, l)
    }
    if (level > g.maxLevel) {
      g.entry = row
      g.maxLevel = level
    }
  }

  /**
   * Chooses up to `max` neighbours among `n` candidates sorted by distance to the base node:
   * a candidate is kept when it is closer to the base than to every neighbour already kept.
   */
  select(rows: Uint32Array, dist: Float64Array, n: number, max: number, out: Uint32Array): number {
    if (n <= max) {
      for (let i = 0; i < n; i++) out[i] = rows[i]!
      return n
    }
    const scorer = this.scorer
    let count = 0
    for (let i = 0; i < n && count < max; i++) {
      const e = rows[i]!
      const de = dist[i]!
      let good = true
      for (let j = 0; j < count; j++) {
        if (scorer.pairDistance(e, out[j]!) < de) {
          good = false
          break
        }
      }
      if (good) out[count++] = e
    }
    return count
  }

  /** Adds `row` to `target`'s list at `level`, shrinking the list with the heuristic if full. */
  addLink(target: number, row: number, level: number): void {
    const g = this.graph
    const lists = g.lists(level)
    const off = g.offset(target, level)
    const count = lists[off]!
    const max = g.maxDegree(level)
    if (count < max) {
      lists[off + 1 + count] = row
      lists[off] = count + 1
      return
    }
    const scorer = this.scorer
    const rows = this.shrinkRows
    const dist = this.shrinkDist
    for (let j = 0; j < count; j++) rows[j] = lists[off + 1 + j]!
    rows[count] = row
    for (let j = 0; j <= count; j++) dist[j] = scorer.pairDistance(target, rows[j]!)
    sortByDistance(rows, dist, count + 1)
    const kept = this.select(rows, dist, count + 1, max, this.shrinkSel)
    lists[off] = kept
    for (let j = 0; j < kept; j++) lists[off + 1 + j] = this.shrinkSel[j]!
  }

  /** Moves the searcher's results into candRows/candDist, closest first; returns the count. */
  private drainResults(): number {
    const res = this.searcher.results
    const n = res.size
    if (this.candRows.length < n) {
      this.candRows = new Uint32Array(n * 2)
      this.candDist = new Float64Array(n * 2)
      this.selRows = new Uint32Array(n * 2)
    }
    for (let i = n - 1; i >= 0; i--) {
      this.candRows[i] = res.rows[0]!
      this.candDist[i] = res.dist[0]!
      res.pop()
    }
    return n
  }
}

/**
 * Insertion sort of parallel arrays by distance (lists are short: at most 2m + 1).
 *
 * @example
 * ```ts
 * sortByDistance(rows, dist, n) // rows[0] is now the closest
 * ```
 */
export function sortByDistance(rows: Uint32Array, dist: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const d = dist[i]!
    const r = rows[i]!
    let j = i - 1
    while (j >= 0 && dist[j]! > d) {
      dist[j + 1] = dist[j]!
      rows[j + 1] = rows[j]!
      j--
    }
    dist[j + 1] = d
    rows[j + 1] = r
  }
}
