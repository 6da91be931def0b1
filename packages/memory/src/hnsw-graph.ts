/** Row states of a {@link HnswGraph}. */
export const FREE = 0
export const LIVE = 1
export const TOMBSTONE = 2

/**
 * Plain-data form of a graph: typed arrays plus a little JSON (for persistence).
 *
 * @example
 * ```ts
 * const copy = new HnswGraph(16)
 * copy.importState(graph.exportState())
 * ```
 */
export interface HnswGraphState {
  json: {
    m: number
    limit: number
    entry: number
    maxLevel: number
    upperUsed: number
    free: number[]
    linked: boolean
  }
  level0: Uint32Array
  levels: Uint8Array
  upperOffset: Int32Array
  upperAlloc: Uint8Array
  upper: Uint32Array
  state: Uint8Array
}

/**
 * The HNSW adjacency in typed arrays with a fixed stride per list: `[count, n1, n2, ...]`.
 * Layer 0 holds `2m` neighbours per row in one array (`(2m + 1)` u32 per row); the upper
 * layers of a row (only ~1/m of rows have any) live in one shared pool, `m + 1` u32 per layer,
 * at `upperOffset[row]`.
 *
 * Rows are FREE, LIVE or TOMBSTONE. A tombstone stays in the graph (searches walk through it
 * but never return it) until a repair reconnects its neighbours and frees the row.
 *
 * @internal
 *
 * @example
 * ```ts
 * const g = new HnswGraph(16)
 * const row = g.allocRow(0)
 * const lists = g.lists(0)
 * const off = g.offset(row, 0) // lists[off] = neighbour count
 * ```
 */
export class HnswGraph {
  readonly m: number
  readonly m0: number
  readonly stride0: number
  readonly strideUp: number
  capacity = 0
  /** One past the highest row handed out. */
  limit = 0
  level0: Uint32Array = new Uint32Array(0)
  levels: Uint8Array = new Uint8Array(0)
  upperOffset = new Int32Array(0)
  /** Layers reserved in a row's upper block (a reused row keeps its block when it fits). */
  upperAlloc: Uint8Array = new Uint8Array(0)
  upper: Uint32Array = new Uint32Array(0)
  upperUsed = 0
  state: Uint8Array = new Uint8Array(0)
  entry = -1
  maxLevel = -1
  live = 0
  tombstones = 0
  free: number[] = []
  /**
   * False while the collection is small: rows are stored but not linked (searches scan them
   * exactly, which is faster below a few hundred rows) and layer 0 takes no memory.
   */
  linked = false

  constructor(m: number) {
    this.m = m
    this.m0 = 2 * m
    this.stride0 = this.m0 + 1
    this.strideUp = m + 1
  }

  /** Bytes of all arrays. */
  get bytes(): number {
    return (
      this.level0.byteLength +
      this.levels.byteLength +
      this.upperOffset.byteLength +
      this.upperAlloc.byteLength +
      this.upper.byteLength +
      this.state.byteLength
    )
  }

  ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return
    const cap = Math.max(
      rows,
      this.capacity < 65_536 ? this.capacity * 2 : Math.ceil(this.capacity * 1.25),
      8,
    )
    if (this.linked) this.level0 = grow(this.level0, cap * this.stride0) as Uint32Array
    this.levels = grow(this.levels, cap) as Uint8Array
    const offsets = new Int32Array(cap).fill(-1)
    offsets.set(this.upperOffset)
    this.upperOffset = offsets
    this.upperAlloc = grow(this.upperAlloc, cap) as Uint8Array
    this.state = grow(this.state, cap) as Uint8Array
    this.capacity = cap
  }

  /** Rows that `additional` inserts would need beyond the current limit. */
  rowsNeeded(additional: number): number {
    return this.limit + Math.max(0, additional - this.free.length)
  }

  /** Allocates layer 0 for every row: from now on rows are linked. */
  startLinking(): void {
    this.linked = true
    this.level0 = new Uint32Array(this.capacity * this.stride0)
  }

  /** A row for a new node at `level`: a freed row if any, else the next one. */
  allocRow(level: number): number {
    const row = this.free.length > 0 ? this.free.pop()! : this.limit++
    this.ensureCapacity(row + 1)
    this.setLevel(row, level)
    this.state[row] = LIVE
    this.live++
    return row
  }

  /** Gives `row` empty lists on layers 0..level (reusing its upper block when it fits). */
  setLevel(row: number, level: number): void {
    this.levels[row] = level
    if (this.linked) this.level0[row * this.stride0] = 0
    if (level > 0) {
      if (this.upperAlloc[row]! < level) {
        const need = level * this.strideUp
        if (this.upperUsed + need > this.upper.length)
          this.upper = grow(
            this.upper,
            Math.max(this.upperUsed + need, this.upper.length * 2, 1024),
          ) as Uint32Array
        this.upperOffset[row] = this.upperUsed
        this.upperAlloc[row] = level
        this.upperUsed += need
      }
      for (let l = 1; l <= level; l++) this.upper[this.upperOffset[row]! + (l - 1) * this.strideUp] = 0
    }
  }

  /** The array holding the lists of `level`. */
  lists(level: number): Uint32Array {
    return level === 0 ? this.level0 : this.upper
  }

  /** Offset of `row`'s list at `level` in {@link HnswGraph.lists}: `[count, neighbours...]`. */
  offset(row: number, level: number): number {
    return level === 0 ? row * this.stride0 : this.upperOffset[row]! + (level - 1) * this.strideUp
  }

  /** Max neighbours at `level`. */
  maxDegree(level: number): number {
    return level === 0 ? this.m0 : this.m
  }

  exportState(): HnswGraphState {
    const n = this.limit
    return {
      json: {
        m: this.m,
        limit: n,
        entry: this.entry,
        maxLevel: this.maxLevel,
        upperUsed: this.upperUsed,
        free: [...this.free],
        linked: this.linked,
      },
      level0: this.level0.slice(0, n * this.stride0),
      levels: this.levels.slice(0, n),
      upperOffset: this.upperOffset.slice(0, n),
      upperAlloc: this.upperAlloc.slice(0, n),
      upper: this.upper.slice(0, this.upperUsed),
      state: this.state.slice(0, n),
    }
  }

  importState(s: HnswGraphState): void {
    const n = s.json.limit
    this.ensureCapacity(n)
    if (s.json.linked) this.startLinking()
    this.level0.set(s.level0)
    this.levels.set(s.levels)
    this.upperOffset.fill(-1)
    this.upperOffset.set(s.upperOffset)
    this.upperAlloc.set(s.upperAlloc)
    this.upper = new Uint32Array(Math.max(s.upper.length, 1024))
    this.upper.set(s.upper)
    this.upperUsed = s.json.upperUsed
    this.state.set(s.state)
    this.limit = n
    this.entry = s.json.entry
    this.maxLevel = s.json.maxLevel
    this.free = [...s.json.free]
    this.live = 0
    this.tombstones = 0
    for (let r = 0; r < n; r++) {
      if (s.state[r] === LIVE) this.live++
      else if (s.state[r] === TOMBSTONE) this.tombstones++
    }
  }
}

type Grown = Uint32Array | Uint8Array
function grow(a: Grown, length: number): Grown {
  const next = new (a.constructor as new (n: number) => Grown)(length)
  next.set(a)
  return next
}
