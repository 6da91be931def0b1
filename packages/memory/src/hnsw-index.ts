import type { ResolvedHnswIndexSpec } from '@vectorkit/core'
import type { TopK } from './heaps'
import { HnswBuilder } from './hnsw-build'
import { FREE, HnswGraph, type HnswGraphState, LIVE, TOMBSTONE } from './hnsw-graph'
import { repairGraph } from './hnsw-repair'
import { HnswSearcher } from './hnsw-search'
import { Rng } from './rng'
import type { Column } from './vector-column'
import { exactSearch, type IndexSearch, rescore, type VectorIndex } from './vector-index'

/** Below this share of matching records a filtered search scans the matches exactly. */
export const EXACT_SELECTIVITY = 0.05

/**
 * Rows below which an HNSW collection is not linked yet: its searches scan exactly (faster at
 * this size, and exact), and no graph memory is spent — what many small per-user collections
 * need. The graph is built once, when a write batch brings the collection to this size.
 */
export const GRAPH_MIN_ROWS = 256

/**
 * Snapshot of an HNSW index without its vectors (internal; for persistence).
 *
 * @example
 * ```ts
 * const state: HnswIndexState = index.exportState()
 * ```
 */
export interface HnswIndexState {
  graph: HnswGraphState
  rngState: number
}

/**
 * HNSW (Malkov & Yashunin) over a {@link VectorColumn}: adjacency in typed arrays, distances
 * through the batched gather kernel, tombstone deletes with periodic repair, deterministic
 * builds for a seed.
 *
 * Search strategy:
 * - no filter: greedy descent, then a best-first search of layer 0 with `ef = max(efSearch, k)`;
 * - filter: the predicate is applied during traversal (non-matching nodes are walked through
 *   but never returned); when the sampled selectivity is below {@link EXACT_SELECTIVITY}, or
 *   so few records match that a scan is cheaper, the matching records are scanned exactly;
 * - whenever the graph yields fewer than `k` hits, an exact scan of the matching records
 *   completes the answer, so a search returns `k` hits whenever `k` records match.
 *
 * @internal
 *
 * @example
 * ```ts
 * const index = new HnswIndex(resolved.index, column, 42)
 * index.reserve(1)
 * index.insert(vector)
 * index.maintain()
 * ```
 */
export class HnswIndex implements VectorIndex {
  readonly type = 'hnsw'
  readonly graph: HnswGraph
  private readonly searcher: HnswSearcher
  private readonly builder: HnswBuilder
  private readonly rng: Rng
  private repairs = 0

  constructor(
    readonly spec: ResolvedHnswIndexSpec,
    readonly column: Column,
    seed: number,
    private readonly minRows = GRAPH_MIN_ROWS,
  ) {
    this.graph = new HnswGraph(spec.m)
    this.searcher = new HnswSearcher(this.graph)
    this.rng = new Rng(seed)
    this.builder = new HnswBuilder(
      this.graph,
      this.searcher,
      column.buildScorer,
      spec.efConstruction,
      this.rng,
    )
  }

  get rowLimit(): number {
    return this.graph.limit
  }

  get tombstones(): number {
    return this.graph.tombstones
  }

  get bytes(): number {
    return this.column.bytes + this.graph.bytes
  }

  reserve(additional: number): void {
    const need = this.graph.rowsNeeded(additional)
    this.column.ensureCapacity(need)
    this.graph.ensureCapacity(need)
  }

  insert(vector: Float32Array): number {
    if (!this.graph.linked) {
      const row = this.graph.allocRow(0)
      this.column.ensureCapacity(row + 1)
      this.column.write(row, vector)
      return row
    }
    const level = this.builder.randomLevel()
    const row = this.graph.allocRow(level)
    this.column.ensureCapacity(row + 1)
    this.column.write(row, vector)
    const scorer = this.column.buildScorer
    this.builder.scorer = scorer
    scorer.prepare(vector, this.graph.m0 + 1)
    this.builder.link(row, level)
    return row
  }

  remove(row: number): void {
    const g = this.graph
    if (g.state[row] !== LIVE) return
    g.live--
    if (!g.linked) {
      // Nothing links to an unlinked row: it is free at once.
      g.state[row] = FREE
      g.free.push(row)
      return
    }
    g.state[row] = TOMBSTONE
    g.tombstones++
  }

  /** Links every stored row, in row order (deterministic), once the collection is big enough. */
  private linkAll(): void {
    const g = this.graph
    g.startLinking()
    const scorer = this.column.buildScorer
    this.builder.scorer = scorer
    for (let r = 0; r < g.limit; r++) {
      if (g.state[r] !== LIVE) continue
      const level = this.builder.randomLevel()
      g.setLevel(r, level)
      scorer.prepare(this.column.read(r), g.m0 + 1)
      this.builder.link(r, level)
    }
  }

  /** Repairs once tombstones exceed 1/8 of the live rows (amortised O(1) per delete). */
  maintain(): void {
    const g = this.graph
    if (!g.linked && g.live >= this.minRows) this.linkAll()
    this.column.afterBatch(g.limit, g.state)
    if (g.tombstones > 0 && (g.live === 0 || g.tombstones >= Math.max(32, g.live / 8))) this.repair()
  }

  /** Reconnects around every tombstone and frees their rows (see {@link repairGraph}). */
  repair(): number {
    this.repairs++
    this.builder.scorer = this.column.buildScorer
    return repairGraph(this.graph, this.builder, this.column.buildScorer)
  }

  vector(row: number): Float32Array {
    return this.column.read(row)
  }

  search(query: Float32Array, p: IndexSearch, top: TopK): void {
    const g = this.graph
    const live = g.live
    if (live === 0) return
    const ef = Math.max(p.efSearch ?? this.spec.efSearch, p.k)
    const selective =
      p.accept !== undefined && (p.selectivity < EXACT_SELECTIVITY || p.selectivity * live < 2 * ef)
    if (p.exact || selective || !g.linked || g.entry < 0) {
      exactSearch(this.column, g.state, g.limit, query, p.accept, top)
      return
    }
    const col = this.column
    col.prepare(query, g.m0 + 1)
    col.ids[col.idsOffset] = g.entry
    col.gather(1)
    const s = this.searcher
    s.greedy(col, g.entry, col.out[col.outOffset]!, g.maxLevel, 0)
    s.searchLayer(col, s.ep, s.epDist, ef, 0, p.accept)
    const res = s.results
    const rerank = col.rerankScorer
    if (rerank === undefined) for (let i = 0; i < res.size; i++) top.push(res.rows[i]!, res.dist[i]!)
    else rescore(rerank, query, res.rows, res.size, top)
    if (top.size < p.k && (p.accept !== undefined || top.size < live)) {
      top.clear()
      exactSearch(this.column, g.state, g.limit, query, p.accept, top)
    }
  }

  toPublic(d: number): number {
    return this.column.toPublic(d)
  }

  details(): Record<string, unknown> {
    const g = this.graph
    return {
      rows: g.limit,
      freeRows: g.free.length,
      linked: g.linked,
      maxLevel: g.maxLevel,
      graphBytes: g.bytes,
      repairs: this.repairs,
      ...this.column.details(),
    }
  }

  release(): void {
    this.column.release()
  }

  /** Graph and generator state (internal; vectors are exported through the column). */
  exportState(): HnswIndexState {
    return { graph: this.graph.exportState(), rngState: this.rng.state }
  }

  /** Restores {@link HnswIndex.exportState} output without rebuilding (vectors restored separately). */
  importState(state: HnswIndexState): void {
    this.graph.importState(state.graph)
    this.rng.state = state.rngState >>> 0
    this.column.ensureCapacity(this.graph.limit)
  }
}
