/**
 * Where a collection keeps its float32 vectors, as the indexes see it: fixed-size rows,
 * scored against one loaded query at a time through batched calls (one call scores a whole
 * list of rows), so the hot loops never touch per-vector objects.
 *
 * Protocol of a search: `prepare(query, maxIds)` once, then any number of rounds of
 * "write row numbers to `ids[idsOffset + j]`, call `gatherDot(count)` / `gatherL2sq(count)`,
 * read `out[outOffset + j]`". The views stay valid until the next `prepare`, `write` or
 * `ensureCapacity` (any of which may move memory), so re-read them after those.
 *
 * @internal
 *
 * @example
 * ```ts
 * store.prepare(query, 2)
 * store.ids[store.idsOffset] = 0
 * store.ids[store.idsOffset + 1] = 5
 * store.gatherDot(2) // store.out[store.outOffset + j] = dot(query, row ids[j])
 * ```
 */
export interface RowStore {
  readonly dim: number
  readonly capacity: number
  /** Bytes held for the rows. */
  readonly bytes: number
  /** True when scoring runs as WebAssembly SIMD. */
  readonly simd: boolean
  ensureCapacity(rows: number): void
  write(row: number, vector: Float32Array): void
  read(row: number, out: Float32Array): void
  /** Loads `query` (length `dim`) and reserves room for `maxIds` row numbers and scores. */
  prepare(query: Float32Array, maxIds: number): void
  readonly ids: Uint32Array
  readonly idsOffset: number
  readonly out: Float32Array
  readonly outOffset: number
  gatherDot(count: number): void
  gatherL2sq(count: number): void
  /** Scores rows `0 .. n-1` into `out[outOffset ..]` (`prepare` with `maxIds >= n` first). */
  scanDot(n: number): void
  scanL2sq(n: number): void
  /** Dot product of two stored rows (no query involved). */
  pairDot(a: number, b: number): number
  /** Squared distance of two stored rows. */
  pairL2sq(a: number, b: number): number
  /** The rows `0 .. rows-1` as bytes (unpadded float32, row after row), for snapshots. */
  exportRows(rows: number): Uint8Array
  /** Replaces rows `0 .. rows-1` from {@link RowStore.exportRows} output. */
  importRows(bytes: Uint8Array, rows: number): void
  /** Frees the memory; the store is unusable afterwards. */
  release(): void
}

/**
 * Plain-JS {@link RowStore} on a growable Float32Array. Used where WebAssembly kernels are
 * not wanted and as the reference the kernel-backed store is tested against.
 *
 * @internal
 *
 * @example
 * ```ts
 * const rows = new JsRowStore(4)
 * rows.write(0, Float32Array.of(1, 2, 3, 4))
 * ```
 */
export class JsRowStore implements RowStore {
  readonly simd = false
  ids = new Uint32Array(64)
  readonly idsOffset = 0
  out = new Float32Array(64)
  readonly outOffset = 0
  private data: Float32Array
  private query: Float32Array
  private cap: number

  constructor(
    readonly dim: number,
    initialCapacity = 8,
  ) {
    this.cap = Math.max(1, initialCapacity)
    this.data = new Float32Array(this.cap * dim)
    this.query = new Float32Array(dim)
  }

  get capacity(): number {
    return this.cap
  }

  get bytes(): number {
    return this.data.byteLength
  }

  ensureCapacity(rows: number): void {
    if (rows <= this.cap) return
    const cap = Math.max(rows, this.cap * 2)
    const next = new Float32Array(cap * this.dim)
    next.set(this.data)
    this.data = next
    this.cap = cap
  }

  write(row: number, vector: Float32Array): void {
    this.data.set(vector, row * this.dim)
  }

  read(row: number, out: Float32Array): void {
    out.set(this.data.subarray(row * this.dim, (row + 1) * this.dim))
  }

  prepare(query: Float32Array, maxIds: number): void {
    this.query.set(query)
    if (this.ids.length < maxIds) {
      this.ids = new Uint32Array(maxIds)
      this.out = new Float32Array(maxIds)
    }
  }

  gatherDot(count: number): void {
    for (let j = 0; j < count; j++) this.out[j] = this.dot(this.ids[j]! * this.dim)
  }

  gatherL2sq(count: number): void {
    for (let j = 0; j < count; j++) this.out[j] = this.l2sq(this.ids[j]! * this.dim)
  }

  scanDot(n: number): void {
    for (let r = 0; r < n; r++) this.out[r] = this.dot(r * this.dim)
  }

  scanL2sq(n: number): void {
    for (let r = 0; r < n; r++) this.out[r] = this.l2sq(r * this.dim)
  }

  pairDot(a: number, b: number): number {
    const d = this.data
    const x = a * this.dim
    const y = b * this.dim
    let s = 0
    for (let i = 0; i < this.dim; i++) s += d[x + i]! * d[y + i]!
    return s
  }

  pairL2sq(a: number, b: number): number {
    const d = this.data
    const x = a * this.dim
    const y = b * this.dim
    let s = 0
    for (let i = 0; i < this.dim; i++) {
      const t = d[x + i]! - d[y + i]!
      s += t * t
    }
    return s
  }

  exportRows(rows: number): Uint8Array {
    return new Uint8Array(this.data.buffer, 0, rows * this.dim * 4).slice()
  }

  importRows(bytes: Uint8Array, rows: number): void {
    this.ensureCapacity(rows)
    const src = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + rows * this.dim * 4))
    this.data.set(src)
  }

  release(): void {
    this.data = new Float32Array(0)
    this.cap = 0
  }

  private dot(base: number): number {
    const d = this.data
    const q = this.query
    let s = 0
    for (let i = 0; i < this.dim; i++) s += q[i]! * d[base + i]!
    return s
  }

  private l2sq(base: number): number {
    const d = this.data
    const q = this.query
    let s = 0
    for (let i = 0; i < this.dim; i++) {
      const x = q[i]! - d[base + i]!
      s += x * x
    }
    return s
  }
}
