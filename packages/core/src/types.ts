import type { Filter } from './filter'

/**
 * A JSON value as stored in metadata: objects, arrays, strings, booleans, `null` and finite
 * numbers (safe integers or floats). `Date`, `undefined`, `NaN`, `Infinity` and `bigint` are rejected.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/**
 * Metadata attached to a record: a plain JSON object.
 *
 * @example
 * ```ts
 * const metadata: Metadata = { genre: 'drama', year: 1999, tags: ['award'] }
 * ```
 */
export type Metadata = { [key: string]: JsonValue }

/**
 * Distance metric of a collection. See {@link SearchHit} for the score/distance convention.
 * - `cosine`: distance `1 - cos(a, b)` (pgvector `<=>`), score `cos(a, b)`.
 * - `dot`: distance `-(a · b)` (pgvector `<#>`), score `a · b`.
 * - `l2`: distance `‖a - b‖` (Euclidean, not squared; pgvector `<->`), score `1 / (1 + distance)`.
 */
export type Metric = 'cosine' | 'dot' | 'l2'

/** Names of the HNSW parameter presets. See {@link HNSW_PROFILES}. */
export type HnswProfile = 'speed' | 'balanced' | 'quality'

/** Exact index: every search scans all (matching) records. */
export interface FlatIndexSpec {
  type: 'flat'
}

/**
 * Approximate HNSW index. Give a `profile`, or explicit parameters, or both (explicit
 * parameters override the profile's).
 *
 * @example
 * ```ts
 * const index: HnswIndexSpec = { type: 'hnsw', profile: 'balanced', quantization: 'int8' }
 * ```
 */
export interface HnswIndexSpec {
  type: 'hnsw'
  /** Preset of `m` / `efConstruction` / `efSearch`; default `balanced`. */
  profile?: HnswProfile
  /** Max neighbours per node on upper layers (layer 0 keeps `2 * m`). 2–100. */
  m?: number
  /** Candidate list size while building. 4–1000, and at least `m`. */
  efConstruction?: number
  /** Default candidate list size while searching (per-query override: `SearchOptions.efSearch`). 1–1000. */
  efSearch?: number
  /** Vector storage in the index. `int8` keeps 1 byte per dimension. Default `none`. */
  quantization?: 'none' | 'int8'
  /** With int8: re-score the best candidates against float vectors. Default `true`. */
  rerank?: boolean
}

/** Index of a collection. */
export type IndexSpec = FlatIndexSpec | HnswIndexSpec

/**
 * What a collection is: its vector size, metric and index.
 *
 * @example
 * ```ts
 * await store.createCollection('docs', { dimensions: 768, metric: 'cosine', index: { type: 'hnsw' } })
 * ```
 */
export interface CollectionSpec {
  /** Vector length, 1–16,000. */
  dimensions: number
  metric: Metric
  /** Default `{ type: 'flat' }`. */
  index?: IndexSpec
}

/** A {@link HnswIndexSpec} with every parameter filled in. */
export interface ResolvedHnswIndexSpec {
  type: 'hnsw'
  profile?: HnswProfile
  m: number
  efConstruction: number
  efSearch: number
  quantization: 'none' | 'int8'
  rerank: boolean
}

/** A {@link CollectionSpec} with defaults filled in, as backends store and report it. */
export interface ResolvedCollectionSpec {
  dimensions: number
  metric: Metric
  index: FlatIndexSpec | ResolvedHnswIndexSpec
}

/**
 * One record: an id, a vector, optional metadata and an optional expiry.
 *
 * @example
 * ```ts
 * const rec: VectorRecord<{ genre: string }> = { id: 'm1', vector: [0.1, 0.2, 0.3], metadata: { genre: 'drama' } }
 * ```
 */
export interface VectorRecord<M extends Metadata = Metadata> {
  /** Non-empty string, at most {@link LIMITS}.maxIdBytes bytes of UTF-8, no NUL. */
  id: string
  vector: Float32Array | number[]
  metadata?: M
  /** After this instant the record is invisible to reads and is purged in the background. */
  expiresAt?: Date
}

/**
 * Options of {@link Collection.search}.
 *
 * @example
 * ```ts
 * await docs.search(q, { k: 5, filter: { lang: 'en' }, minScore: 0.3, excludeIds: ['seen-1'] })
 * ```
 */
export interface SearchOptions<M extends Metadata = Metadata> {
  /** Number of hits, 1–{@link LIMITS}.maxK. Default 10. */
  k?: number
  /** Only records matching this filter are considered. Filters are always exact. */
  filter?: Filter<M>
  /** Drop hits whose score is below this. */
  minScore?: number
  /** HNSW candidate list size for this query (1–1000). Ignored by exact indexes. */
  efSearch?: number
  /** Ids that must not appear in the results. At most {@link LIMITS}.maxExcludeIds. */
  excludeIds?: string[]
  /** Return each hit's vector. Default false. */
  includeVectors?: boolean
  /** Bypass the approximate index and scan exactly. Default false. */
  exact?: boolean
}

/**
 * One search result.
 *
 * Convention, the same on every backend: `distance` is the metric's distance (lower is closer),
 * `score` is a similarity (higher is closer). Hits are ordered by distance, then by id
 * (Unicode code point order), so results are deterministic.
 *
 * | metric | distance | score |
 * | --- | --- | --- |
 * | cosine | `1 - cos` | `cos` (= `1 - distance`) |
 * | dot | `-dot` | `dot` (= `-distance`) |
 * | l2 | `‖a - b‖` | `1 / (1 + distance)` |
 */
export interface SearchHit<M extends Metadata = Metadata> {
  id: string
  score: number
  distance: number
  metadata?: M
  /** Present when `includeVectors` was set. */
  vector?: Float32Array
}

/** Options of {@link Collection.scan}. */
export interface ScanOptions<M extends Metadata = Metadata> {
  /** Exclusive cursor: start after this id (id order). */
  after?: string
  /** Records per yielded batch, 1–10,000. Default 500. */
  batchSize?: number
  filter?: Filter<M>
}

/** Statistics of one collection's index. Backends may add fields under `details`. */
export interface CollectionStats {
  name: string
  dimensions: number
  metric: Metric
  /** Live (visible) records. */
  count: number
  index: ResolvedCollectionSpec['index']
  /** Deleted records the index still holds (HNSW tombstones). 0 when not applicable. */
  tombstones: number
  /** Bytes used by vectors, index and metadata, as well as the backend can tell. */
  bytes: number
  /** Backend-specific facts (Postgres: table and index bytes, index scans; memory: heap segments). */
  details?: Record<string, unknown>
}

/** Name and spec of a collection. */
export interface CollectionInfo {
  name: string
  spec: ResolvedCollectionSpec
}

/** One check inside a {@link HealthReport}. */
export interface HealthCheck {
  name: string
  status: HealthStatus
  latencyMs?: number
  message?: string
  details?: Record<string, unknown>
}

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy'

/**
 * The answer of {@link VectorStore.health}. `status` is the worst of the checks.
 *
 * @example
 * ```ts
 * const h = await store.health()
 * if (h.status !== 'healthy') console.warn(h.checks.filter((c) => c.status !== 'healthy'))
 * ```
 */
export interface HealthReport {
  status: HealthStatus
  backend: string
  checks: HealthCheck[]
}

/**
 * What a backend can do. Mandatory abilities (see {@link MANDATORY_CAPABILITIES}) must be
 * `true`; the conformance suite fails otherwise. Optional ones are declared, never faked.
 */
export interface Capabilities {
  /** Mandatory: exact top-k search. */
  exactSearch: boolean
  /** Mandatory: the filter language on search, count, scan and delete. */
  filters: boolean
  /** Mandatory: `scan()` in id order with a resumable cursor. */
  scan: boolean
  /** Mandatory: `delete({ filter })`. */
  deleteByFilter: boolean
  /** Mandatory: an upsert batch is all-or-nothing. */
  atomicBatches: boolean
  /** Optional: HNSW index. */
  hnsw: boolean
  /** Optional: int8 quantization. */
  quantization: boolean
  /** Optional: `expiresAt` on records. */
  ttl: boolean
  /** Optional: data survives a restart. */
  persistence: boolean
  /** Optional: {@link VectorStore.subscribeChanges} sees writes made by other processes. */
  changeNotifications: boolean
}

/** Every backend must declare these capabilities `true`. */
export const MANDATORY_CAPABILITIES = [
  'exactSearch',
  'filters',
  'scan',
  'deleteByFilter',
  'atomicBatches',
] as const

/** A change seen by {@link VectorStore.subscribeChanges}. */
export interface ChangeEvent {
  collection: string
  /** `write` for upserts and deletes; `drop` when the collection was dropped. */
  kind: 'write' | 'drop'
}

/**
 * One named set of vectors with a fixed dimension and metric.
 *
 * @example
 * ```ts
 * const docs = await store.collection<{ lang: string }>('docs')
 * await docs.upsert([{ id: 'a', vector: [1, 0, 0], metadata: { lang: 'en' } }])
 * const hits = await docs.search([1, 0, 0], { k: 3, filter: { lang: 'en' } })
 * ```
 */
export interface Collection<M extends Metadata = Metadata> {
  readonly name: string
  readonly spec: ResolvedCollectionSpec
  /** Inserts or replaces records. All-or-nothing per call; the whole batch becomes visible at once. */
  upsert(records: VectorRecord<M>[]): Promise<void>
  /** Records for the ids that exist (and have not expired), in the order asked. Missing ids are skipped. */
  get(ids: string[]): Promise<VectorRecord<M>[]>
  /** Deletes by ids or by filter; returns how many records were deleted. */
  delete(target: string[] | { filter: Filter<M> }): Promise<number>
  /** Top-k nearest records. */
  search(query: ArrayLike<number>, options?: SearchOptions<M>): Promise<SearchHit<M>[]>
  /** Number of live records, optionally matching a filter. */
  count(filter?: Filter<M>): Promise<number>
  /** Walks records in id order, in batches, from an optional exclusive cursor. */
  scan(options?: ScanOptions<M>): AsyncIterable<VectorRecord<M>[]>
  stats(): Promise<CollectionStats>
}

/** Options of {@link VectorStore.createCollection}. */
export interface CreateCollectionOptions {
  /** Return the existing collection when its spec matches; `CONFLICT` when it differs. */
  ifNotExists?: boolean
}

/**
 * A vector store: a set of named collections on one backend.
 *
 * @example
 * ```ts
 * import { createVectorStore } from '@vectorkit/vectorstore'
 * const store = await createVectorStore()
 * const docs = await store.createCollection('docs', { dimensions: 3, metric: 'cosine' }, { ifNotExists: true })
 * await store.close()
 * ```
 */
export interface VectorStore {
  /** Backend name, e.g. `memory` or `postgres` (decorators report the backend they wrap). */
  readonly backend: string
  readonly capabilities: Capabilities
  createCollection<M extends Metadata = Metadata>(
    name: string,
    spec: CollectionSpec,
    options?: CreateCollectionOptions,
  ): Promise<Collection<M>>
  /** Throws `NOT_FOUND` when it does not exist. */
  collection<M extends Metadata = Metadata>(name: string): Promise<Collection<M>>
  listCollections(): Promise<CollectionInfo[]>
  /** Throws `NOT_FOUND` when it does not exist. */
  dropCollection(name: string): Promise<void>
  health(): Promise<HealthReport>
  /** Drains in-flight work, flushes, releases what the store owns. Idempotent. */
  close(): Promise<void>
  /**
   * Present only when `capabilities.changeNotifications` is true: calls `listener` for writes
   * made through any store on the same backend (including other processes). Returns an unsubscribe.
   */
  subscribeChanges?(listener: (event: ChangeEvent) => void): () => void
}
